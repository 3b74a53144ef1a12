import type { ApplicationDocument } from '@desk/shared';
import { documentTypeLabels } from '@desk/shared';
import ImageSearchOutlined from '@mui/icons-material/ImageSearchOutlined';
import Button from '@mui/material/Button';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { useCanAccess } from 'react-admin';
import { accessResources } from '../auth/access';

const CaseDocumentViewer = lazy(() => import('./CaseDocumentViewer'));

/** Whether the signed-in role may open documents' content (`documents.view`). */
export function useMayViewDocuments(): boolean {
  const { canAccess } = useCanAccess({ resource: accessResources.applications, action: 'viewDocuments' });
  return canAccess === true;
}

export interface ViewFileButtonProps {
  /** What the file is, for the button's accessible name ("View ID front"). */
  label: string;
  /** The desk holds content it shows for this file. */
  viewable: boolean;
  /** The viewer, once the button is pressed (a lazy chunk, loaded on first use). */
  viewer: (onClose: () => void) => ReactNode;
}

/**
 * "View" for one stored file: opens the document viewer. Nothing for a role that may not see
 * content, or a file the desk holds no showable content for.
 */
export const ViewFileButton = ({ label, viewable, viewer }: ViewFileButtonProps) => {
  const mayView = useMayViewDocuments();
  const [open, setOpen] = useState(false);
  if (!mayView || !viewable) return null;
  return (
    <>
      <Button
        size="small"
        startIcon={<ImageSearchOutlined />}
        onClick={() => setOpen(true)}
        aria-label={`View ${label}`}
        data-testid="view-document"
        sx={{ whiteSpace: 'nowrap' }}
      >
        View
      </Button>
      {open && <Suspense fallback={null}>{viewer(() => setOpen(false))}</Suspense>}
    </>
  );
};

export interface ViewDocumentButtonProps {
  document: ApplicationDocument;
  caseId: string;
}

/** "View" for one document of a case. */
export const ViewDocumentButton = ({ document, caseId }: ViewDocumentButtonProps) => (
  <ViewFileButton
    label={documentTypeLabels[document.type]}
    viewable={document.viewable}
    viewer={(onClose) => <CaseDocumentViewer caseId={caseId} document={document} onClose={onClose} />}
  />
);
