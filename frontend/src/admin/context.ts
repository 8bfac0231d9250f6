import { createContext, useContext } from 'react';
import type { AdminApi } from '../api/admin';

export const AdminApiContext = createContext<AdminApi | null>(null);

/** The typed admin client of the signed-in admin (every admin page is under AdminApp). */
export function useAdminApi(): AdminApi {
  const api = useContext(AdminApiContext);
  if (!api) throw new Error('useAdminApi outside the admin view');
  return api;
}
