import { useEffect, useState } from 'react';
import type { AdminUser, AdminUserPatch } from '@patchpad/shared';
import { useAdminApi } from '../context';
import { useCursor } from '../useCursor';
import { useLoad } from '../useLoad';

export type UserSort = 'last_active' | 'email' | 'tokens';
const PAGE = 25;

/** The users list: search (debounced), sort, cursor pages, and the changes an admin makes to one user. */
export function useUsers() {
  const api = useAdminApi();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<UserSort>('last_active');
  const pages = useCursor();
  const { reset } = pages;

  useEffect(() => {
    const t = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);
  useEffect(() => reset(), [q, sort, reset]);

  const list = useLoad(() => api.users({ q: q || undefined, sort, cursor: pages.cursor, limit: PAGE }), `${q}|${sort}|${pages.cursor ?? ''}`);
  // The user open in the side panel: kept here, not looked up in the page, so a new search or
  // page does not close it (or reset what the admin is typing).
  const [selected, setSelected] = useState<AdminUser | null>(null);
  const replace = (user: AdminUser) => {
    list.update((page) => ({ ...page, users: page.users.map((u) => (u.uid === user.uid ? user : u)) }));
    setSelected((s) => (s?.uid === user.uid ? user : s));
  };

  return {
    search,
    setSearch,
    sort,
    setSort,
    pages,
    list,
    selected,
    select: setSelected,
    patch: async (uid: string, patch: AdminUserPatch) => replace(await api.patchUser(uid, patch)),
    resetUsage: async (uid: string) => replace(await api.resetUsage(uid)),
  };
}
export type UsersModel = ReturnType<typeof useUsers>;
