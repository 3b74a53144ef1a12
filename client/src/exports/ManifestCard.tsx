import type { ExportManifest } from '@desk/shared';
import CheckCircle from '@mui/icons-material/CheckCircle';
import ErrorOutline from '@mui/icons-material/ErrorOutlineOutlined';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import { DateTime } from '../common/DateTime';
import { formatBytes } from '../common/formatBytes';
import { filtersText, formatText, kindLabels, thousands } from './exportLabels';
import { ManifestField } from './ManifestField';
import { Mono } from './Mono';

/** What the manifest certifies, and whether the file in hand matches it. */
export const ManifestCard = ({ manifest, localSha256 }: { manifest: ExportManifest; localSha256?: string | null }) => {
  const matches = localSha256 === undefined || localSha256 === null ? null : localSha256 === manifest.sha256;
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
        {matches !== null && (
          <Box
            component="span"
            sx={{
              ml: 1,
              display: 'inline-flex',
              alignItems: 'center',
              gap: 0.5,
              color: matches ? 'success.main' : 'error.main',
            }}
          >
            {matches ? <CheckCircle fontSize="inherit" /> : <ErrorOutline fontSize="inherit" />}
            {matches ? 'matches the downloaded file' : 'does NOT match the downloaded file'}
          </Box>
        )}
      </ManifestField>
      <ManifestField label="Audit chain head">
        {manifest.chainHeadId === null ? (
          'empty chain'
        ) : (
          <>
            #{manifest.chainHeadId} <Mono>{manifest.chainHeadHash}</Mono>
          </>
        )}
      </ManifestField>
    </Box>
  );
};
