import Close from '@mui/icons-material/Close';
import FitScreen from '@mui/icons-material/FitScreen';
import RotateRight from '@mui/icons-material/RotateRight';
import ZoomIn from '@mui/icons-material/ZoomIn';
import ZoomOut from '@mui/icons-material/ZoomOut';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import IconButton from '@mui/material/IconButton';
import { useTheme } from '@mui/material/styles';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import { type KeyboardEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';

/** A stored file the viewer can show: where it loads from and what it is. */
export interface ViewerFile {
  /** Unique among the files offered together (the document's id). */
  id: string;
  /** What the file is, as people read it ("ID front", "Payslip · answer 2"). */
  label: string;
  /** Where the browser loads it from (every load is an opening on the audit trail). */
  contentUrl: string;
  contentType: string | null;
  fileName: string | null;
  /** What the side panel says about the file while it is shown. */
  facts?: ReactNode;
}

export interface DocumentViewerProps {
  /** The file opened. */
  file: ViewerFile;
  /** Beside the title: whose file it is. */
  subtitle?: ReactNode;
  /** Other files that can be shown beside it. */
  others: readonly ViewerFile[];
  /** Said under "Compare with" when there is nothing to compare with. */
  noOthers: string;
  /** The side panel's first part (the applicant's data, or why it is not there yet). */
  context?: ReactNode;
  onClose: () => void;
}

const zoomSteps = [0.1, 0.15, 0.25, 0.33, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3, 4, 6, 8] as const;
const minZoom = zoomSteps[0];
const maxZoom = zoomSteps[zoomSteps.length - 1] ?? 8;

/** How one pane shows its image: fitted to the pane, or at a scale; turned by quarter turns. */
type View = { zoom: number | 'fit'; rotation: number };
const initialView: View = { zoom: 'fit', rotation: 0 };
type Size = { width: number; height: number };
/** Fitting enlarges a small scan at most this much. */
const maxFitScale = 2;

const nextZoom = (current: number, direction: 1 | -1): number => {
  const step =
    direction > 0
      ? zoomSteps.find((z) => z > current + 1e-6)
      : [...zoomSteps].reverse().find((z) => z < current - 1e-6);
  return step ?? (direction > 0 ? maxZoom : minZoom);
};

const isImage = (file: ViewerFile) => file.contentType === 'image/png' || file.contentType === 'image/jpeg';

/** The scale at which an image of `natural` size, turned by `rotation`, fits in `box`. */
function fittedScale(natural: Size, rotation: number, box: Size): number {
  const sideways = rotation % 180 !== 0;
  const width = sideways ? natural.height : natural.width;
  const height = sideways ? natural.width : natural.height;
  if (width === 0 || height === 0 || box.width === 0 || box.height === 0) return 1;
  return Math.min(box.width / width, box.height / height, maxFitScale);
}

/** The content size of an element, kept up to date. */
function useBoxSize<T extends HTMLElement>(): [(element: T | null) => void, Size] {
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((element: T | null) => {
    observer.current?.disconnect();
    if (!element) return;
    const measure = () => setSize({ width: element.clientWidth, height: element.clientHeight });
    observer.current = new ResizeObserver(measure);
    observer.current.observe(element);
    measure();
  }, []);
  useEffect(() => () => observer.current?.disconnect(), []);
  return [ref, size];
}

/**
 * The document viewer: a stored file (a case document, or a file answering an RFI) next to what
 * it is checked against. Images zoom, fit and turn; a second file can be shown beside it (the ID
 * front next to the selfie). PDFs open in the browser's own viewer. Each file shown is one
 * opening on the audit trail. Keys: Esc closes, + and − zoom, 0 fits, r turns the first file.
 */
const DocumentViewer = ({ file, subtitle, others, noOthers, context, onClose }: DocumentViewerProps) => {
  const theme = useTheme();
  const narrow = useMediaQuery(theme.breakpoints.down('md'));
  const [views, setViews] = useState<[View, View]>([initialView, initialView]);
  const [compareId, setCompareId] = useState('');
  const [fitted, setFitted] = useState<[number, number]>([1, 1]);

  const compared = others.find((other) => other.id === compareId && other.id !== file.id);

  const change = (pane: 0 | 1, update: (view: View, fit: number) => View) =>
    setViews((current) => {
      const next: [View, View] = [current[0], current[1]];
      next[pane] = update(current[pane], fitted[pane]);
      return next;
    });
  const zoomBy = (pane: 0 | 1, direction: 1 | -1) =>
    change(pane, (view, fit) => ({ ...view, zoom: nextZoom(view.zoom === 'fit' ? fit : view.zoom, direction) }));
  const fit = (pane: 0 | 1) => change(pane, (view) => ({ ...view, zoom: 'fit' }));
  const rotate = (pane: 0 | 1) => change(pane, (view) => ({ ...view, rotation: (view.rotation + 90) % 360 }));
  const reportFit = (pane: 0 | 1) => (scale: number) =>
    setFitted((current) => {
      if (current[pane] === scale) return current;
      const next: [number, number] = [current[0], current[1]];
      next[pane] = scale;
      return next;
    });

  const onKeyDown = (event: KeyboardEvent) => {
    const target = event.target;
    if (target instanceof HTMLElement && target.closest('input, textarea, [role="combobox"], [role="listbox"]')) return;
    if (event.ctrlKey || event.metaKey || event.altKey || !isImage(file)) return;
    const handled = (() => {
      if (event.key === '+' || event.key === '=') zoomBy(0, 1);
      else if (event.key === '-' || event.key === '_') zoomBy(0, -1);
      else if (event.key === '0') fit(0);
      else if (event.key === 'r' || event.key === 'R') rotate(0);
      else return false;
      return true;
    })();
    if (handled) event.preventDefault();
  };

  return (
    <Dialog
      open
      onClose={onClose}
      fullScreen={narrow}
      fullWidth
      maxWidth="xl"
      aria-labelledby="document-viewer-title"
      onKeyDown={onKeyDown}
      data-testid="document-viewer"
      slotProps={{ paper: { sx: narrow ? undefined : { height: '92vh' } } }}
    >
      <DialogTitle id="document-viewer-title" sx={{ display: 'flex', alignItems: 'center', gap: 1, pr: 1 }}>
        <Box component="span" sx={{ flex: 1, minWidth: 0, overflowWrap: 'anywhere' }}>
          {file.label}
          {subtitle && (
            <Typography component="span" color="text.secondary" sx={{ ml: 1 }}>
              {subtitle}
            </Typography>
          )}
        </Box>
        <IconButton aria-label="Close the document viewer" onClick={onClose} edge="end">
          <Close />
        </IconButton>
      </DialogTitle>
      <DialogContent dividers sx={{ p: { xs: 1, md: 2 }, display: 'flex', flexDirection: 'column', minHeight: 0 }}>
        <Box
          sx={{
            display: 'flex',
            flexDirection: { xs: 'column', lg: 'row' },
            gap: 2,
            // Stacked on small screens, where the dialog's content scrolls; side by side it fills the dialog.
            flex: { xs: 'none', lg: 1 },
            minHeight: { lg: 0 },
          }}
        >
          <Box
            sx={{
              flex: 1,
              minWidth: 0,
              display: 'flex',
              flexDirection: { xs: 'column', md: 'row' },
              gap: 1,
              minHeight: { xs: 360, lg: 0 },
            }}
          >
            <DocumentPane
              file={file}
              view={views[0]}
              testId="viewer-pane-primary"
              onZoom={(direction) => zoomBy(0, direction)}
              onFit={() => fit(0)}
              onRotate={() => rotate(0)}
              onFitted={reportFit(0)}
            />
            {compared && (
              <DocumentPane
                // A new file starts over: its own size, its own fit.
                key={compared.id}
                file={compared}
                view={views[1]}
                testId="viewer-pane-compare"
                onZoom={(direction) => zoomBy(1, direction)}
                onFit={() => fit(1)}
                onRotate={() => rotate(1)}
                onFitted={reportFit(1)}
              />
            )}
          </Box>
          <Box
            component="aside"
            aria-label="Applicant and document details"
            sx={{ width: { xs: '100%', lg: 300 }, flexShrink: 0, overflowY: { lg: 'auto' }, pt: 1 }}
          >
            <TextField
              select
              size="small"
              fullWidth
              label="Compare with"
              value={compared ? compared.id : ''}
              onChange={(event) => {
                setCompareId(event.target.value);
                setViews(([first]) => [first, initialView]);
              }}
              disabled={others.length === 0}
              helperText={others.length === 0 ? noOthers : undefined}
              slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
              data-testid="viewer-compare"
              sx={{ mb: 2 }}
            >
              <option value="">Nothing</option>
              {others.map((other) => (
                <option key={other.id} value={other.id}>
                  {other.label}
                  {other.fileName ? ` · ${other.fileName}` : ''}
                </option>
              ))}
            </TextField>
            {context}
            {file.facts}
            {compared?.facts}
          </Box>
        </Box>
      </DialogContent>
    </Dialog>
  );
};
export default DocumentViewer;

interface DocumentPaneProps {
  file: ViewerFile;
  view: View;
  testId: string;
  onZoom: (direction: 1 | -1) => void;
  onFit: () => void;
  onRotate: () => void;
  onFitted: (scale: number) => void;
}

/** One file: its toolbar and its content, an image to zoom and turn or a PDF in the browser's viewer. */
const DocumentPane = ({ file, view, testId, onZoom, onFit, onRotate, onFitted }: DocumentPaneProps) => {
  const [boxRef, box] = useBoxSize<HTMLDivElement>();
  const [natural, setNatural] = useState<Size | null>(null);
  const [failed, setFailed] = useState(false);
  const src = file.contentUrl;
  const label = file.label;
  const image = isImage(file);
  const fitScale = natural ? fittedScale(natural, view.rotation, box) : 1;
  const scale = view.zoom === 'fit' ? fitScale : view.zoom;
  useEffect(() => onFitted(fitScale), [fitScale, onFitted]);

  const sideways = view.rotation % 180 !== 0;
  const width = natural ? natural.width * scale : 0;
  const height = natural ? natural.height * scale : 0;

  return (
    <Box
      data-testid={testId}
      data-document-id={file.id}
      data-zoom={view.zoom === 'fit' ? 'fit' : String(view.zoom)}
      data-rotation={view.rotation}
      sx={{
        flex: 1,
        minWidth: 0,
        display: 'flex',
        flexDirection: 'column',
        border: 1,
        borderColor: 'divider',
        borderRadius: 1,
        minHeight: { xs: 320, md: 0 },
      }}
    >
      <Box
        role="toolbar"
        aria-label={`${label}: view controls`}
        sx={{
          display: 'flex',
          alignItems: 'center',
          gap: 0.5,
          px: 1,
          py: 0.5,
          borderBottom: 1,
          borderColor: 'divider',
        }}
      >
        <Typography variant="subtitle2" component="h3" sx={{ flex: 1, minWidth: 0, overflowWrap: 'anywhere' }}>
          {label}
        </Typography>
        {image && (
          <>
            <Typography
              variant="caption"
              color="text.secondary"
              aria-live="polite"
              data-testid="viewer-scale"
              sx={{ minWidth: 40, textAlign: 'right' }}
            >
              {Math.round(scale * 100)}%
            </Typography>
            <Tooltip title="Zoom out (−)">
              <span>
                <IconButton
                  size="small"
                  aria-label={`Zoom out of ${label}`}
                  onClick={() => onZoom(-1)}
                  disabled={scale <= minZoom}
                >
                  <ZoomOut fontSize="small" />
                </IconButton>
              </span>
            </Tooltip>
            <Tooltip title="Zoom in (+)">
              <span>
                <IconButton
                  size="small"
                  aria-label={`Zoom in on ${label}`}
                  onClick={() => onZoom(1)}
                  disabled={scale >= maxZoom}
                >
                  <ZoomIn fontSize="small" />
                </IconButton>
              </span>
            </Tooltip>
            <Tooltip title="Fit (0)">
              <IconButton size="small" aria-label={`Fit ${label} to the pane`} onClick={onFit}>
                <FitScreen fontSize="small" />
              </IconButton>
            </Tooltip>
            <Tooltip title="Rotate 90° (r)">
              <IconButton size="small" aria-label={`Rotate ${label} 90 degrees`} onClick={onRotate}>
                <RotateRight fontSize="small" />
              </IconButton>
            </Tooltip>
          </>
        )}
      </Box>
      <Box
        ref={boxRef}
        sx={{
          flex: 1,
          minHeight: { xs: 280, md: 0 },
          overflow: 'auto',
          display: 'flex',
          bgcolor: 'action.hover',
          position: 'relative',
        }}
      >
        {failed ? (
          <Alert severity="error" sx={{ m: 'auto' }}>
            The file could not be shown.
          </Alert>
        ) : image ? (
          <Box
            sx={{
              position: 'relative',
              m: 'auto',
              flexShrink: 0,
              width: natural ? (sideways ? height : width) : '100%',
              height: natural ? (sideways ? width : height) : '100%',
            }}
          >
            <Box
              component="img"
              src={src}
              alt={`${label} of the applicant`}
              data-testid="viewer-image"
              draggable={false}
              onLoad={(event) => {
                const element = event.currentTarget;
                setNatural({ width: element.naturalWidth, height: element.naturalHeight });
              }}
              onError={() => setFailed(true)}
              sx={
                natural
                  ? {
                      position: 'absolute',
                      left: '50%',
                      top: '50%',
                      width,
                      height,
                      maxWidth: 'none',
                      transform: `translate(-50%, -50%) rotate(${view.rotation}deg)`,
                    }
                  : { visibility: 'hidden', maxWidth: '100%' }
              }
            />
          </Box>
        ) : (
          <Box
            component="iframe"
            src={src}
            title={`${label} (PDF)`}
            data-testid="viewer-pdf"
            sx={{
              border: 0,
              width: '100%',
              height: '100%',
              minHeight: { xs: 420, md: 0 },
              bgcolor: 'background.paper',
            }}
          />
        )}
      </Box>
    </Box>
  );
};

/** One labelled value of the side panel. */
export const Fact = ({ label, children, mono = false }: { label: string; children: ReactNode; mono?: boolean }) => (
  <Box component="div" sx={{ mb: 1 }}>
    <Typography component="dt" variant="caption" color="text.secondary" sx={{ display: 'block' }}>
      {label}
    </Typography>
    <Typography
      component="dd"
      variant="body2"
      sx={{ m: 0, overflowWrap: 'anywhere', fontFamily: mono ? 'monospace' : undefined }}
    >
      {children}
    </Typography>
  </Box>
);

/** A headed part of the side panel: its facts as a description list. */
export const FactSection = ({
  id,
  title,
  testId,
  children,
}: {
  /** Unique in the page: names the heading the section is labelled by. */
  id: string;
  title: ReactNode;
  testId: string;
  children: ReactNode;
}) => (
  <Box component="section" aria-labelledby={id} data-testid={testId} sx={{ mb: 2 }}>
    <Typography id={id} variant="subtitle2" component="h3" sx={{ mb: 1 }}>
      {title}
    </Typography>
    <Box component="dl" sx={{ m: 0 }}>
      {children}
    </Box>
  </Box>
);
