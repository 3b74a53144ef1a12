import { routeUrl } from '../api/callApi';

/** Where the browser loads a stored document's file from (each load is audited by the desk). */
export const documentContentUrl = (caseId: string, documentId: string): string =>
  routeUrl('getDocumentContent', { params: { id: caseId, documentId } });
