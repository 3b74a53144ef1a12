import {
  type ApplicationDetail,
  type ApplicationDocument,
  describeRequirement,
  documentFlagLabels,
  documentTypeLabels,
} from '@desk/shared';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import { useGetOne } from 'react-admin';
import { formatAddress } from '../applications/ApplicantSection';
import { DocumentStatusChip } from '../applications/DocumentStatusChip';
import { DateTime } from '../common/DateTime';
import { resources } from '../resources';
import DocumentViewer, { Fact, FactSection, type ViewerFile } from './DocumentViewer';
import { documentContentUrl } from './documentContentUrl';

/** The case as the viewer reads it (the case page's own query, so it is usually read already). */
export function useViewedCase(caseId: string) {
  return useGetOne<ApplicationDetail>(resources.applications, { id: caseId, meta: { view: 'case' } });
}

/** A case document as the viewer shows it, with its facts once the case is read. */
export function caseDocumentFile(
  caseId: string,
  document: ApplicationDocument,
  application: ApplicationDetail | undefined,
): ViewerFile {
  return {
    id: document.id,
    label: documentTypeLabels[document.type],
    contentUrl: documentContentUrl(caseId, document.id),
    contentType: document.contentType,
    fileName: document.fileName,
    facts: application && <DocumentFacts application={application} document={document} />,
  };
}

/** While the case is read, or why it could not be. */
export const CaseContext = ({ application, error }: { application: ApplicationDetail | undefined; error: unknown }) => {
  if (application) return <ApplicantFacts application={application} />;
  if (error) {
    return (
      <Alert severity="error" sx={{ mb: 2 }}>
        The case could not be read: {error instanceof Error ? error.message : ''}
      </Alert>
    );
  }
  return (
    <Box sx={{ display: 'flex', justifyContent: 'center', p: 2 }}>
      <CircularProgress aria-label="Loading the case" />
    </Box>
  );
};

export interface CaseDocumentViewerProps {
  caseId: string;
  document: ApplicationDocument;
  onClose: () => void;
}

/**
 * A case document in the viewer, beside the applicant's key data and the flags it counts
 * towards; any other document of the case with a file can be shown next to it.
 */
const CaseDocumentViewer = ({ caseId, document, onClose }: CaseDocumentViewerProps) => {
  const { data: application, error } = useViewedCase(caseId);
  const current = application?.documents.find((d) => d.id === document.id) ?? document;
  const others =
    application?.documents
      .filter((d) => d.viewable && d.id !== document.id)
      .map((d) => caseDocumentFile(caseId, d, application)) ?? [];
  return (
    <DocumentViewer
      file={caseDocumentFile(caseId, current, application)}
      subtitle={application && `${application.applicant.firstName} ${application.applicant.lastName}`}
      others={others}
      noOthers="No other document of this case has a file"
      context={<CaseContext application={application} error={error} />}
      onClose={onClose}
    />
  );
};
export default CaseDocumentViewer;

/** The applicant's data a document is checked against; the identification number as the case shows it (masked). */
export const ApplicantFacts = ({ application }: { application: ApplicationDetail }) => {
  const { applicant } = application;
  return (
    <FactSection id="viewer-applicant-heading" title="Applicant" testId="viewer-applicant">
      <Fact label="Name">
        {applicant.firstName} {applicant.lastName}
      </Fact>
      <Fact label="Date of birth">
        <DateTime value={applicant.dateOfBirth} dateOnly />
      </Fact>
      <Fact label="Address">
        {formatAddress(applicant.address).map((line) => (
          <Box component="span" key={line} sx={{ display: 'block' }}>
            {line}
          </Box>
        ))}
      </Fact>
      <Fact label="Identification no." mono>
        {applicant.identificationNumberMasked}
      </Fact>
    </FactSection>
  );
};

/** A document's own facts and the flag requirements its type counts towards at the case's provider. */
const DocumentFacts = ({
  application,
  document,
}: {
  application: ApplicationDetail;
  document: ApplicationDocument;
}) => {
  const clears = application.checklist.flatMap((entry) =>
    entry.requirements
      .filter((requirement) => requirement.anyOf.some((option) => option.includes(document.type)))
      .map((requirement) => ({ flag: entry.flag, raised: entry.raised, requirement })),
  );
  return (
    <FactSection
      id={`viewer-document-${document.id}`}
      title={documentTypeLabels[document.type]}
      testId="viewer-document-facts"
    >
      <Fact label="Status">
        <DocumentStatusChip status={document.status} />
      </Fact>
      <Fact label="Uploaded">
        <DateTime value={document.uploadedAt} />
        {document.uploadedBy ? ` by ${document.uploadedBy.name}` : ''}
      </Fact>
      {document.fileName && <Fact label="File">{document.fileName}</Fact>}
      <Fact label="Counts towards">
        {clears.length === 0 ? (
          <Box component="span" sx={{ color: 'text.secondary' }}>
            No flag of this provider
          </Box>
        ) : (
          clears.map(({ flag, raised, requirement }) => (
            <Box
              component="span"
              key={`${flag}-${describeRequirement(requirement.anyOf)}`}
              sx={{ display: 'block' }}
              data-testid="viewer-clears"
            >
              {documentFlagLabels[flag]}: {describeRequirement(requirement.anyOf)} —{' '}
              {requirement.state === 'satisfied'
                ? 'met'
                : requirement.state === 'awaiting_delivery'
                  ? 'awaiting delivery'
                  : 'missing'}
              {raised ? '' : ' (flag not raised)'}
            </Box>
          ))
        )}
      </Fact>
    </FactSection>
  );
};
