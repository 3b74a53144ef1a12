import ChevronLeft from '@mui/icons-material/ChevronLeft';
import ChevronRight from '@mui/icons-material/ChevronRight';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import { useEffect } from 'react';
import { useCreatePath, useNavigate } from 'react-admin';
import { typedInField } from './NextCaseButton';
import { neighbourOf, positionOf } from './queueOrder';

/**
 * "3 / 50" with previous / next arrows: steps through the rows of the queue view the case was
 * opened from; `k` / `j` do the same from the keyboard.
 */
export const CaseStepper = ({ applicationId }: { applicationId: string }) => {
  const navigate = useNavigate();
  const createPath = useCreatePath();
  const here = positionOf(applicationId);
  const previous = neighbourOf(applicationId, -1);
  const next = neighbourOf(applicationId, 1);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (
        (event.key !== 'j' && event.key !== 'k') ||
        event.metaKey ||
        event.ctrlKey ||
        event.altKey ||
        typedInField(event)
      )
        return;
      const target = neighbourOf(applicationId, event.key === 'j' ? 1 : -1);
      if (!target) return;
      event.preventDefault();
      navigate(createPath({ resource: 'applications', id: target.id, type: 'show' }));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [applicationId, createPath, navigate]);

  if (!here) return null;
  const go = (id: string) => navigate(createPath({ resource: 'applications', id, type: 'show' }));
  return (
    <Box
      data-testid="case-stepper"
      sx={{
        display: 'inline-flex',
        alignItems: 'center',
        color: 'text.secondary',
        fontSize: 12,
        fontVariantNumeric: 'tabular-nums',
      }}
    >
      <Tooltip title="Previous case in the queue (k)">
        <span>
          <IconButton
            size="small"
            disabled={!previous}
            onClick={() => previous && go(previous.id)}
            aria-label="Previous case"
          >
            <ChevronLeft fontSize="small" />
          </IconButton>
        </span>
      </Tooltip>
      {here.position} / {here.total}
      <Tooltip title="Next case in the queue (j)">
        <span>
          <IconButton
            size="small"
            disabled={!next}
            onClick={() => next && go(next.id)}
            aria-label="Next case in the queue"
          >
            <ChevronRight fontSize="small" />
          </IconButton>
        </span>
      </Tooltip>
    </Box>
  );
};
