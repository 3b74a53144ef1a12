/** The react-admin resources of the desk, by name. */
export const resources = { applications: 'applications', rfis: 'rfis', staff: 'staff' } as const;
