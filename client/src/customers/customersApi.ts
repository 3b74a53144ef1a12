/**
 * Support's customer lookup, a customer's page and the audited reveal of their identification
 * number. Typed data-provider methods (views reach them through `useDataProvider<DeskDataProvider>()`).
 */
import type { CustomerDetail, CustomerSearchResult, RevealResponse } from '@desk/shared';
import { callApi } from '../api/callApi';

/** How many customers the search box offers. */
const searchLimit = 10;

export const customersApi = {
  /** Customers matching a name, email, phone, last four, application or provider id, best first. */
  searchCustomers: (q: string, signal?: AbortSignal): Promise<CustomerSearchResult> =>
    callApi('searchCustomers', { query: { q, limit: searchLimit }, signal }),

  /** A customer with every application, open RFIs and recent changes. */
  getCustomer: (id: string, signal?: AbortSignal): Promise<CustomerDetail> =>
    callApi('getCustomer', { params: { id }, signal }),

  /** The customer's identification number in clear, with the reason (audited; never cached). */
  revealIdentificationNumber: (customerId: string, reason: string): Promise<RevealResponse> =>
    callApi('revealCustomerField', {
      params: { id: customerId },
      body: { field: 'identificationNumber', reason },
    }),
};

export type CustomersApi = typeof customersApi;
