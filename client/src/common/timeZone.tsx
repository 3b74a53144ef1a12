/**
 * The zone every time on the desk is shown in: the signed-in member's choice (stored on the
 * server, `PATCH /api/me/preferences`), else their browser's. `useTimeZone()` gives it to
 * `DateTime` and to anything else that writes a time; outside a signed-in page (sign-in,
 * set-password) it is the browser's.
 */
import { utcTimeZone } from '@desk/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { useDataProvider } from 'react-admin';
import type { DeskDataProvider } from '../dataProvider';

export type TimeZoneSetting = {
  /** The zone times are shown in. */
  zone: string;
  /** What the member chose; null: their browser's. */
  chosen: string | null;
  browserZone: string;
  /** Stores the member's choice (null: back to the browser's). */
  choose: (zone: string | null) => Promise<void>;
  saving: boolean;
};

/** The browser's zone; UTC when it names none. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || utcTimeZone;
}

const browserOnly: TimeZoneSetting = {
  zone: browserTimeZone(),
  chosen: null,
  browserZone: browserTimeZone(),
  choose: () => Promise.reject(new Error('Sign in to choose a time zone')),
  saving: false,
};

const TimeZoneContext = createContext<TimeZoneSetting>(browserOnly);

const preferencesKey = ['me', 'preferences'] as const;

/** Provides the signed-in member's zone to everything under it. */
export const TimeZoneProvider = ({ children }: { children: ReactNode }) => {
  const queryClient = useQueryClient();
  const dataProvider = useDataProvider<DeskDataProvider>();
  const preferences = useQuery({
    queryKey: preferencesKey,
    queryFn: ({ signal }) => dataProvider.getOwnPreferences(signal),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const save = useMutation({
    mutationFn: (timeZone: string | null) => dataProvider.updateOwnPreferences(timeZone),
    onSuccess: (saved) => queryClient.setQueryData(preferencesKey, saved),
  });
  const chosen = preferences.data?.timeZone ?? null;
  const { mutateAsync, isPending } = save;
  const value = useMemo<TimeZoneSetting>(
    () => ({
      zone: chosen ?? browserOnly.browserZone,
      chosen,
      browserZone: browserOnly.browserZone,
      choose: async (zone) => {
        await mutateAsync(zone);
      },
      saving: isPending,
    }),
    [chosen, mutateAsync, isPending],
  );
  return <TimeZoneContext.Provider value={value}>{children}</TimeZoneContext.Provider>;
};

export function useTimeZone(): TimeZoneSetting {
  return useContext(TimeZoneContext);
}
