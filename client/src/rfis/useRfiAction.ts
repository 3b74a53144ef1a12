import type { Rfi } from '@desk/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useDataProvider, useNotify, useShowContext } from 'react-admin';
import { type DeskDataProvider, resources } from '../dataProvider';

export interface UseRfiActionOptions<Variables> {
  successMessage: (rfi: Rfi, variables: Variables) => string;
  /** False when the caller shows errors itself (the answer form shows them beside the inputs). */
  notifyErrors?: boolean;
}

/**
 * One action on the RFI shown by the surrounding ShowBase: call the typed data-provider
 * method, say what happened, re-read the RFI and let every RFI list read again.
 */
export function useRfiAction<Variables>(
  request: (dataProvider: DeskDataProvider, rfiId: string, variables: Variables) => Promise<Rfi>,
  { successMessage, notifyErrors = true }: UseRfiActionOptions<Variables>,
) {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { record, refetch } = useShowContext<Rfi>();
  const rfiId = record?.id;
  const settle = () => {
    void refetch();
    void queryClient.invalidateQueries({ queryKey: [resources.rfis, 'getList'] });
  };

  return useMutation<Rfi, Error, Variables>({
    mutationFn: (variables) => {
      if (rfiId === undefined) return Promise.reject(new Error('The RFI is not loaded yet.'));
      return request(dataProvider, rfiId, variables);
    },
    onSuccess: (rfi, variables) => {
      notify(successMessage(rfi, variables), { type: 'success' });
      settle();
    },
    onError: (error) => {
      if (notifyErrors) notify(error.message, { type: 'error', multiLine: true });
      // A 409: the RFI moved on meanwhile (answered or closed elsewhere); show where it stands.
      settle();
    },
  });
}
