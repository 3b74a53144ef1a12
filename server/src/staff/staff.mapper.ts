import type { StaffRole, StaffSummary } from '@desk/shared';

type NullableStaffColumns = { id: string | null; name: string | null; email: string | null; role: StaffRole | null };

/** A left-joined staff member (all columns null when there is none). */
export function joinedStaffToSummary(staff: NullableStaffColumns): StaffSummary | null {
  if (staff.id === null || staff.name === null || staff.email === null || staff.role === null) return null;
  return { id: staff.id, name: staff.name, email: staff.email, role: staff.role };
}
