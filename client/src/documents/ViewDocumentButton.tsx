import type { ApplicationDocument } from '@desk/shared';
import { documentTypeLabels } from '@desk/shared';
import ImageSearchOutlined from '@mui/icons-material/ImageSearchOutlined';
import Button from '@mui/material/Button';
import { lazy, Suspense, useState } from 'react';
import { useCanAccess } from 'react-admin';
import { accessResources } from '../auth/access';

const DocumentViewer = lazy(() => import('./DocumentViewer'));

/** Whether the signed-in role may open documents' content (`documents.view`). */
export function useMayViewDocuments(): boolean {
  const { canAccess } = useCanAccess({ resource: accessResources.applications, action: 'viewDocuments' });
  return canAccess === true;
}

export interface ViewDocumentButtonProps {
  document: Pick<ApplicationDocument, 'id' | 'type' | 'viewable'>;
  caseId: string;
}

/**
 * "View" for one document of a case: opens the document viewer (its own chunk, loaded on first
 * use). Nothing for a role that may not see content or a document whose file the desk does not
 * hold.
 */
export const ViewDocumentButton = ({ document, caseId }: ViewDocumentButtonProps) => {
  const mayView = useMayViewDocuments();
  const [open, setOpen] = useState(false);
  if (!mayView || !document.viewable) return null;
  return (
    <>
      <Button
        size="small"
        startIcon={<ImageSearchOutlined />}
        onClick={() => setOpen(true)}
        aria-label={`View ${documentTypeLabels[document.type]}`}
        data-testid="view-document"
        sx={{ whiteSpace: 'nowrap' }}
      >
        View
      </Button>
      {open && (
        <Suspense fallback={null}>
          <DocumentViewer caseId={caseId} documentId={document.id} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
};
