import type { ExportManifest } from '@desk/shared';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import { DateTime } from '../common/DateTime';
import { formatBytes } from '../common/formatBytes';
import { filtersText, formatText, kindLabels, thousands } from './exportLabels';
import { ManifestField } from './ManifestField';
import { Mono } from './Mono';

/**
 * What the manifest certifies. The SHA-256 is the server's, computed on the bytes as they left;
 * the saved file is checked against it on the auditor's own machine (`sha256sum`), so nothing
 * here ever holds the file.
 */
export const ManifestCard = ({ manifest }: { manifest: ExportManifest }) => {
  return (
    <Box data-testid="export-manifest" data-export-id={manifest.id} sx={{ mt: 1 }}>
      <ManifestField label="Export">
        <Mono>{manifest.id}</Mono>
      </ManifestField>
      <ManifestField label="What">
        {kindLabels[manifest.kind]} · {formatText(manifest)} · filters: {filtersText(manifest.filters)}
      </ManifestField>
      <ManifestField label="State">
        <Chip
          size="small"
          label={manifest.state}
          color={manifest.state === 'complete' ? 'success' : manifest.state === 'failed' ? 'error' : 'default'}
        />
      </ManifestField>
      <ManifestField label="Requested by">{manifest.requestedBy}</ManifestField>
      <ManifestField label="Started / finished">
        <DateTime value={manifest.startedAt} /> → <DateTime value={manifest.finishedAt} />
      </ManifestField>
      <ManifestField label="Rows">
        <span data-testid="export-manifest-rows">
          {manifest.rowCount === null ? '—' : thousands(manifest.rowCount)}
        </span>
      </ManifestField>
      <ManifestField label="Size">
        {manifest.byteCount === null
          ? '—'
          : `${formatBytes(manifest.byteCount)} (${thousands(manifest.byteCount)} bytes)`}
      </ManifestField>
      <ManifestField label="SHA-256">
        <Mono>
          <span data-testid="export-manifest-sha256">{manifest.sha256 ?? '—'}</span>
        </Mono>
      </ManifestField>
      <ManifestField label="File">
        <Mono>
          <span data-testid="export-manifest-file-name">{manifest.fileName}</span>
        </Mono>
      </ManifestField>
      {manifest.sha256 && (
        <ManifestField label="Check the file">
          <Box component="span" sx={{ color: 'text.secondary' }}>
            In a terminal where you saved it, <Mono>sha256sum {manifest.fileName}</Mono> (macOS:{' '}
            <Mono>shasum -a 256 {manifest.fileName}</Mono>) must print the SHA-256 above.
          </Box>
        </ManifestField>
      )}
      <ManifestField label="Audit chain heads">
        {manifest.chainHeads.length === 0 ? (
          'empty chain'
        ) : (
          <Box component="ul" sx={{ m: 0, pl: 2 }} data-testid="export-manifest-chain-heads">
            {manifest.chainHeads.map((head) => (
              <li key={head.lane}>
                lane {head.lane}: #{head.id} <Mono>{head.hash}</Mono>
              </li>
            ))}
          </Box>
        )}
      </ManifestField>
    </Box>
  );
};
