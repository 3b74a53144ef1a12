import type { AuditVerify } from '@desk/shared';
import GppBadOutlined from '@mui/icons-material/GppBadOutlined';
import VerifiedOutlined from '@mui/icons-material/VerifiedOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { useMutation } from '@tanstack/react-query';
import { useDataProvider } from 'react-admin';
import { errorMessage } from '../common/errorMessage';
import type { DeskDataProvider } from '../dataProvider';
import { mono } from './auditStyles';

/** Checks the whole chain on the server: every row's hash and its link to the row before it in its lane. */
export const VerifyChain = () => {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const verify = useMutation<AuditVerify, Error>({ mutationFn: () => dataProvider.verifyAuditChain() });
  const result = verify.data;
  // The lanes' heads are in lane order; the newest row of the trail is the head with the highest id.
  const newest = result?.heads.reduce<AuditVerify['heads'][number] | undefined>(
    (latest, head) => (latest === undefined || BigInt(head.id) > BigInt(latest.id) ? head : latest),
    undefined,
  );
  return (
    <Box
      sx={{
        display: 'flex',
        flexWrap: 'wrap',
        alignItems: 'center',
        gap: 1.5,
        px: 1.5,
        py: 1,
        borderBottom: 1,
        borderColor: 'divider',
      }}
    >
      <Button
        variant="outlined"
        size="small"
        startIcon={<VerifiedOutlined />}
        onClick={() => verify.mutate()}
        disabled={verify.isPending}
        data-testid="audit-verify"
      >
        {verify.isPending ? 'Verifying…' : 'Verify chain'}
      </Button>
      {verify.error && (
        <Alert severity="error" sx={{ py: 0 }} data-testid="audit-verify-result" data-ok="error">
          The chain could not be verified: {errorMessage(verify.error)}
        </Alert>
      )}
      {result && !verify.isPending && (
        <Alert
          severity={result.ok ? 'success' : 'error'}
          icon={result.ok ? <VerifiedOutlined fontSize="small" /> : <GppBadOutlined fontSize="small" />}
          sx={{ py: 0, alignItems: 'center' }}
          data-testid="audit-verify-result"
          data-ok={String(result.ok)}
          data-first-broken-id={result.firstBrokenId}
        >
          {result.ok ? (
            <>
              Chain intact: {result.checked.toLocaleString()} {result.checked === 1 ? 'event' : 'events'} checked
              {newest && (
                <Box component="span" sx={{ color: 'text.secondary' }}>
                  {' '}
                  · {result.heads.length} {result.heads.length === 1 ? 'lane' : 'lanes'}, newest #{newest.id}{' '}
                  <Box component="span" sx={mono} title={newest.hash}>
                    {newest.hash.slice(0, 16)}…
                  </Box>
                </Box>
              )}
            </>
          ) : (
            <>
              Chain broken: first broken event <strong>#{result.firstBrokenId}</strong> (
              {result.checked.toLocaleString()} {result.checked === 1 ? 'event' : 'events'} checked)
            </>
          )}
        </Alert>
      )}
    </Box>
  );
};
