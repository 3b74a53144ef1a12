/** What to show of an error in a sentence such as "… could not be loaded: <message>". */
export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : 'unexpected error');
