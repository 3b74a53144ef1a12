/**
 * Jiko sandbox rules (Partner API guides, "Sandbox Testing" and "Controlling Application
 * Status"), as a pure, synchronous state-transition module.
 *
 * The leading digits of the identification number decide what Apply does:
 *
 *   first apply (from CREATED)      2  → DOCUMENTS_NEEDED, flags by the second digit:
 *                                        21 id, 22 identification number, 23 address,
 *                                        24 id + identification number; any other 2x raises
 *                                        all three (the guide names no flags for it)
 *                                   3  → MANUAL_REVIEW
 *                                   4  → APPROVED
 *                                   5  → REJECTED
 *                                   anything else → MANUAL_REVIEW
 *   re-apply (from PENDING)         2*1 (third digit 1) → MANUAL_REVIEW, otherwise APPROVED
 *
 * DOCUMENTS_NEEDED becomes PENDING on its own once every flag is cleared. Apply is accepted
 * only from CREATED and PENDING; REJECTED is final (`jikoApplyRefusal` in `@desk/shared`, the
 * rule the desk's adapter reads too).
 *
 * Entering DOCUMENTS_NEEDED lists one PENDING_UPLOAD document per requirement of each raised
 * flag (its first type: ID_FRONT, ID_BACK, SELFIE; SELFIE stands for "SELFIE or PASSPORT").
 * A listed document stops being requested once its requirement is met by any type.
 *
 * MANUAL_REVIEW has no sandbox rule out of it; the sandbox's operator resolves it to
 * APPROVED or REJECTED.
 */
import {
  type DocumentFlags,
  type DocumentType,
  documentFlags,
  flagRequirements,
  type JikoStatus,
  jikoApplyRefusal,
  remainingFlags,
} from '@desk/shared';

export const noFlags: DocumentFlags = {
  idVerification: false,
  identificationNumberVerification: false,
  addressVerification: false,
};

const flagsBySecondDigit: Record<string, DocumentFlags> = {
  '1': { ...noFlags, idVerification: true },
  '2': { ...noFlags, identificationNumberVerification: true },
  '3': { ...noFlags, addressVerification: true },
  '4': { ...noFlags, idVerification: true, identificationNumberVerification: true },
};
const allFlags: DocumentFlags = {
  idVerification: true,
  identificationNumberVerification: true,
  addressVerification: true,
};

export type ApplyOutcome = { ok: true; status: JikoStatus; flags: DocumentFlags } | { ok: false; reason: string };

/** The status Apply leads to (after SUBMITTED), by the sandbox table. */
export function applyOutcome(identificationNumber: string, status: JikoStatus): ApplyOutcome {
  const refusal = jikoApplyRefusal(status);
  if (refusal) return { ok: false, reason: refusal };
  const digits = identificationNumber.replace(/\D/g, '');
  if (status === 'PENDING') {
    return { ok: true, status: digits[2] === '1' ? 'MANUAL_REVIEW' : 'APPROVED', flags: noFlags };
  }
  switch (digits[0]) {
    case '2':
      return { ok: true, status: 'DOCUMENTS_NEEDED', flags: flagsBySecondDigit[digits[1] ?? ''] ?? allFlags };
    case '3':
      return { ok: true, status: 'MANUAL_REVIEW', flags: noFlags };
    case '4':
      return { ok: true, status: 'APPROVED', flags: noFlags };
    case '5':
      return { ok: true, status: 'REJECTED', flags: noFlags };
    default:
      return { ok: true, status: 'MANUAL_REVIEW', flags: noFlags };
  }
}

/** After an upload: the flags still raised, and PENDING once none is. */
export function afterUpload(
  status: JikoStatus,
  flags: DocumentFlags,
  uploadedTypes: Iterable<DocumentType>,
): { status: JikoStatus; flags: DocumentFlags } {
  if (status !== 'DOCUMENTS_NEEDED') return { status, flags };
  const left = remainingFlags(flags, uploadedTypes);
  const anyLeft = left.idVerification || left.identificationNumberVerification || left.addressVerification;
  return { status: anyLeft ? 'DOCUMENTS_NEEDED' : 'PENDING', flags: left };
}

/** The documents listed as PENDING_UPLOAD for raised flags: the first type of each requirement. */
export function requestedDocumentTypes(flags: DocumentFlags): DocumentType[] {
  const out: DocumentType[] = [];
  for (const flag of documentFlags) {
    if (!flags[flag]) continue;
    for (const [first] of flagRequirements[flag]) if (first && !out.includes(first)) out.push(first);
  }
  return out;
}

/**
 * Whether a listed document is still wanted: some still-raised flag has a requirement that
 * includes its type and that no uploaded type meets yet (a PASSPORT meets SELFIE's).
 */
export function isStillRequested(
  type: DocumentType,
  flags: DocumentFlags,
  uploadedTypes: Iterable<DocumentType>,
): boolean {
  const have = new Set(uploadedTypes);
  return documentFlags.some(
    (flag) =>
      flags[flag] && flagRequirements[flag].some((anyOf) => anyOf.includes(type) && !anyOf.some((t) => have.has(t))),
  );
}

export type ManualDecision = Extract<JikoStatus, 'APPROVED' | 'REJECTED'>;

/** Why a manual decision cannot be taken now, or null when it can (only from MANUAL_REVIEW). */
export function resolveRefusal(status: JikoStatus): string | null {
  return status === 'MANUAL_REVIEW'
    ? null
    : `Only an application in MANUAL_REVIEW can be resolved; this one is ${status}.`;
}
