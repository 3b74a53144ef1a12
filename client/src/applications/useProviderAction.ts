import type { ApplicationDetail, ProviderAction } from '@desk/shared';
import { useMutation } from '@tanstack/react-query';
import { useDataProvider, useNotify, useShowContext } from 'react-admin';
import type { DeskDataProvider } from '../dataProvider';

export interface UseProviderActionOptions<Variables> {
  /** The toast once the server has queued the action. */
  successMessage: (action: ProviderAction, variables: Variables) => string;
  /** False when the caller shows errors itself (the upload dialog shows them inline). */
  notifyErrors?: boolean;
}

/**
 * One action on the case shown by the surrounding ShowBase: call the typed data-provider
 * method, say what happened, and re-read that case (only it) so the queued action appears and
 * the live refresh takes over.
 */
export function useProviderAction<Variables>(
  request: (dataProvider: DeskDataProvider, applicationId: string, variables: Variables) => Promise<ProviderAction>,
  { successMessage, notifyErrors = true }: UseProviderActionOptions<Variables>,
) {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const notify = useNotify();
  const { record, refetch } = useShowContext<ApplicationDetail>();
  const applicationId = record?.id;

  return useMutation<ProviderAction, Error, Variables>({
    mutationFn: (variables) => {
      if (applicationId === undefined) return Promise.reject(new Error('The application is not loaded yet.'));
      return request(dataProvider, applicationId, variables);
    },
    onSuccess: (action, variables) => {
      notify(successMessage(action, variables), { type: 'success' });
      void refetch();
    },
    onError: (error) => {
      if (notifyErrors) notify(error.message, { type: 'error', multiLine: true });
      // The case may have moved on (a 409 because it changed meanwhile): show where it stands.
      void refetch();
    },
  });
}
