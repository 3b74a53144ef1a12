import type { RfiItem } from '@desk/shared';
import ChecklistRtl from '@mui/icons-material/ChecklistRtl';
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { Missing, monospace } from '../applications/Fields';
import { Section } from '../applications/Section';
import { RfiReasonChip } from './RfiReasonChip';
import { sectionLabel } from './rfiAnswer';
import { rfiItemKindLabels } from './rfiLabels';

/** What the RFI asks for, item by item, with the provider's reason when it gave one. */
export const RfiItemsSection = ({ items }: { items: RfiItem[] }) => (
  <Section title={`Requested (${items.length})`} icon={<ChecklistRtl fontSize="small" />} testId="rfi-items" flush>
    <TableContainer>
      <Table size="small" aria-label="Requested items">
        <TableHead>
          <TableRow>
            <TableCell>Kind</TableCell>
            <TableCell>Item</TableCell>
            <TableCell>Section</TableCell>
            <TableCell>Reason</TableCell>
            <TableCell>Note</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map((item) => (
            <TableRow key={item.id} data-testid="rfi-item" data-key={item.key} data-kind={item.kind}>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>{rfiItemKindLabels[item.kind]}</TableCell>
              <TableCell>
                <Box sx={{ fontWeight: 600 }}>{item.label}</Box>
                <Box sx={{ fontFamily: monospace, fontSize: 11.5, color: 'text.secondary', overflowWrap: 'anywhere' }}>
                  {item.key}
                </Box>
              </TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }} title={item.section ?? undefined}>
                {item.section ? sectionLabel(item.section) : <Missing />}
              </TableCell>
              <TableCell>{item.reason ? <RfiReasonChip reason={item.reason} /> : <Missing />}</TableCell>
              <TableCell sx={{ whiteSpace: 'pre-wrap' }}>{item.note ?? <Missing />}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  </Section>
);
