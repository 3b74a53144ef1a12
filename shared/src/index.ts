export * from './providers.js';
export * from './documents.js';
export * from './errors.js';
export * from './pagination.js';
export * from './staff.js';
export * from './applications.js';
export * from './provider-actions.js';
export * from './intake.js';
