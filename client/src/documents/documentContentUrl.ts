import { routeUrl } from '../api/callApi';

/** Where the browser loads a stored document's file from (each load is audited by the desk). */
export const documentContentUrl = (caseId: string, documentId: string): string =>
  routeUrl('getDocumentContent', { params: { id: caseId, documentId } });

/** Where the browser loads a file answering an RFI from (each load is audited by the desk). */
export const rfiAnswerFileUrl = (rfiId: string, answerId: string, documentId: string): string =>
  routeUrl('getRfiAnswerDocumentContent', { params: { id: rfiId, answerId, documentId } });
