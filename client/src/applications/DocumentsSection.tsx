import { type ApplicationDocument, documentTypeLabels } from '@desk/shared';
import DescriptionOutlined from '@mui/icons-material/DescriptionOutlined';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import { DateTime } from '../common/DateTime';
import { formatBytes } from '../common/formatBytes';
import { useMayViewDocuments, ViewDocumentButton } from '../documents/ViewDocumentButton';
import { DocumentStatusChip } from './DocumentStatusChip';
import { Missing, monospace } from './Fields';
import { Section } from './Section';

/**
 * Every document requested by or sent to the provider for this application, each with its
 * upload time and, for roles that may see content, "View" where the desk holds the file.
 */
export const DocumentsSection = ({ documents, caseId }: { documents: ApplicationDocument[]; caseId: string }) => {
  const mayView = useMayViewDocuments();
  return (
    <Section
      title={`Documents (${documents.length})`}
      icon={<DescriptionOutlined fontSize="small" />}
      testId="documents-section"
      flush
    >
      {documents.length === 0 ? (
        <Box sx={{ p: 1.5, color: 'text.secondary' }}>No documents yet.</Box>
      ) : (
        <>
          {!mayView && (
            <Box
              data-testid="documents-content-withheld"
              sx={{ px: 1.5, pt: 1, color: 'text.secondary', fontSize: 14 }}
            >
              Your role sees which documents exist, not their content.
            </Box>
          )}
          <TableContainer>
            <Table size="small" aria-label="Documents">
              <TableHead>
                <TableRow>
                  <TableCell>Type</TableCell>
                  <TableCell>File</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Content type</TableCell>
                  <TableCell align="right">Size</TableCell>
                  <TableCell>SHA-256</TableCell>
                  <TableCell>Uploaded by</TableCell>
                  <TableCell>Uploaded</TableCell>
                  {mayView && <TableCell>Content</TableCell>}
                </TableRow>
              </TableHead>
              <TableBody>
                {documents.map((document) => (
                  <TableRow
                    key={document.id}
                    data-testid="document-row"
                    data-type={document.type}
                    data-status={document.status}
                    data-at-provider={document.atProvider}
                    data-viewable={document.viewable}
                  >
                    <TableCell sx={{ fontWeight: 600, minWidth: 90 }}>{documentTypeLabels[document.type]}</TableCell>
                    <TableCell data-testid="document-file-name" sx={{ maxWidth: 220, overflowWrap: 'anywhere' }}>
                      {document.fileName ?? <Missing />}
                    </TableCell>
                    <TableCell>
                      <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
                        <DocumentStatusChip status={document.status} />
                        {!document.atProvider && <AwaitingDeliveryChip />}
                      </Box>
                    </TableCell>
                    <TableCell sx={{ fontFamily: monospace, fontSize: 12 }}>
                      {document.contentType ?? <Missing />}
                    </TableCell>
                    <TableCell align="right" sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                      {document.sizeBytes === null ? <Missing /> : formatBytes(document.sizeBytes)}
                    </TableCell>
                    <TableCell>
                      {document.sha256 ? (
                        <Tooltip
                          title={<Box sx={{ fontFamily: monospace, wordBreak: 'break-all' }}>{document.sha256}</Box>}
                        >
                          <Box component="span" sx={{ fontFamily: monospace, fontSize: 12 }}>
                            {document.sha256.slice(0, 12)}…
                          </Box>
                        </Tooltip>
                      ) : (
                        <Missing />
                      )}
                    </TableCell>
                    <TableCell>{document.uploadedBy ? document.uploadedBy.name : <Missing />}</TableCell>
                    <TableCell data-testid="document-uploaded-at">
                      {document.uploadedAt ? (
                        <DateTime value={document.uploadedAt} compact />
                      ) : (
                        <Box component="span" sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>
                          Requested <DateTime value={document.createdAt} compact />
                        </Box>
                      )}
                    </TableCell>
                    {mayView && (
                      <TableCell>
                        <ViewDocumentButton document={document} caseId={caseId} />
                      </TableCell>
                    )}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        </>
      )}
    </Section>
  );
};

/** Uploaded from the desk; the worker has not delivered it to the provider yet. */
const AwaitingDeliveryChip = () => (
  <Tooltip title="Uploaded from the desk; not yet delivered to the provider">
    <Chip
      label="Awaiting delivery"
      color="warning"
      variant="outlined"
      data-testid="document-awaiting-delivery"
      sx={{ height: 20, fontWeight: 600 }}
    />
  </Tooltip>
);
