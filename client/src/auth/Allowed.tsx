import type { ReactNode } from 'react';
import { CanAccess } from 'react-admin';

export interface AllowedProps {
  resource: string;
  action: string;
  children: ReactNode;
  /** What to show instead when the role may not (nothing by default). */
  otherwise?: ReactNode;
}

/**
 * Renders its children only when the signed-in role may use the resource/action (see
 * auth/access.ts); nothing while that is being read, and nothing if it cannot be.
 */
export const Allowed = ({ resource, action, children, otherwise = null }: AllowedProps) => (
  <CanAccess resource={resource} action={action} accessDenied={otherwise} error={null}>
    {children}
  </CanAccess>
);
