/**
 * The catalogue the create body refers to by id, fixed in the sandbox. The ids of the guide's
 * examples exist (occupation 1 = Software Engineer and 42, purpose 1 = Personal remittance
 * and 3, sources of funds 1 = Employment income and 5). Purposes and sources of funds have a
 * type; `?type=INDIVIDUAL` (or BUSINESS) filters them, no type lists all, and an unknown type
 * is a 400. Only INDIVIDUAL entries are accepted on an individual customer.
 */
export type CatalogueType = 'INDIVIDUAL' | 'BUSINESS';
export type CatalogueEntry = { id: number; name: string };
type TypedEntry = CatalogueEntry & { type: CatalogueType };

export const occupations: readonly CatalogueEntry[] = [
  { id: 1, name: 'Software Engineer' },
  { id: 2, name: 'Accountant' },
  { id: 3, name: 'Teacher' },
  { id: 4, name: 'Physician' },
  { id: 5, name: 'Nurse' },
  { id: 6, name: 'Lawyer' },
  { id: 7, name: 'Sales Representative' },
  { id: 8, name: 'Business Owner' },
  { id: 9, name: 'Construction Worker' },
  { id: 10, name: 'Student' },
  { id: 11, name: 'Retired' },
  { id: 12, name: 'Homemaker' },
  { id: 13, name: 'Unemployed' },
  { id: 42, name: 'Graphic Designer' },
];

const purposes: readonly TypedEntry[] = [
  { id: 1, name: 'Personal remittance', type: 'INDIVIDUAL' },
  { id: 2, name: 'Family support', type: 'INDIVIDUAL' },
  { id: 3, name: 'Payments to family', type: 'INDIVIDUAL' },
  { id: 4, name: 'Education expenses', type: 'INDIVIDUAL' },
  { id: 5, name: 'Medical expenses', type: 'INDIVIDUAL' },
  { id: 6, name: 'Savings and investment', type: 'INDIVIDUAL' },
  { id: 7, name: 'Purchase of goods and services', type: 'INDIVIDUAL' },
  { id: 101, name: 'Supplier payments', type: 'BUSINESS' },
  { id: 102, name: 'Payroll', type: 'BUSINESS' },
];

const sourcesOfFunds: readonly TypedEntry[] = [
  { id: 1, name: 'Employment income', type: 'INDIVIDUAL' },
  { id: 2, name: 'Business income', type: 'INDIVIDUAL' },
  { id: 3, name: 'Savings', type: 'INDIVIDUAL' },
  { id: 4, name: 'Investments', type: 'INDIVIDUAL' },
  { id: 5, name: 'Pension', type: 'INDIVIDUAL' },
  { id: 6, name: 'Inheritance', type: 'INDIVIDUAL' },
  { id: 7, name: 'Gift', type: 'INDIVIDUAL' },
  { id: 101, name: 'Company revenue', type: 'BUSINESS' },
  { id: 102, name: 'Equity financing', type: 'BUSINESS' },
];

export const catalogueTypes: readonly CatalogueType[] = ['INDIVIDUAL', 'BUSINESS'];

function ofType(entries: readonly TypedEntry[], type: CatalogueType | null): TypedEntry[] {
  return entries.filter((e) => type === null || e.type === type);
}

export const listPurposes = (type: CatalogueType | null) => ofType(purposes, type);
export const listSourcesOfFunds = (type: CatalogueType | null) => ofType(sourcesOfFunds, type);

export const occupationExists = (id: number) => occupations.some((o) => o.id === id);
export const individualPurposeExists = (id: number) => purposes.some((p) => p.id === id && p.type === 'INDIVIDUAL');
export const individualSourceOfFundsExists = (id: number) =>
  sourcesOfFunds.some((s) => s.id === id && s.type === 'INDIVIDUAL');
