import type { AdminUser } from '@patchpad/shared';
import { formatAgo, formatTokens, formatUsd } from '../format';
import { Badge, LoadState, Pager } from '../ui';
import { UserPanel } from './UserPanel';
import { useUsers, type UserSort } from './useUsers';

function TokenBar({ user }: { user: AdminUser }) {
  const { used, reserved, limit } = user.tokens;
  const share = limit > 0 ? Math.min(1, (used + reserved) / limit) : 1;
  return (
    <div className="meter" title={`${used} used, ${reserved} reserved of ${limit}`}>
      <span className="small">
        {formatTokens(used)} / {formatTokens(limit)}
      </span>
      <div className="meter-track">
        <div className={`meter-fill${share >= 0.9 ? ' hot' : ''}`} style={{ width: `${share * 100}%` }} />
      </div>
    </div>
  );
}

/** Users: who they are, plan and role, usage against quota, and the admin's changes to each. */
export function UsersPage() {
  const model = useUsers();
  const { list, pages } = model;
  const users = list.data?.users ?? [];
  const { selected, select } = model;
  const open = selected?.uid ?? null;

  return (
    <section className="admin-page" aria-labelledby="users-title">
      <header className="admin-head">
        <h1 id="users-title">Users</h1>
        {list.data && (
          <span className="muted small">
            {list.data.total.toLocaleString()} {list.data.total === 1 ? 'user' : 'users'}
          </span>
        )}
        <span className="spacer" />
        <input
          type="search"
          aria-label="Search users"
          placeholder="Search by email or id"
          value={model.search}
          onChange={(e) => model.setSearch(e.target.value)}
        />
        <label className="inline">
          Sort
          <select aria-label="Sort users" value={model.sort} onChange={(e) => model.setSort(e.target.value as UserSort)}>
            <option value="last_active">Last active</option>
            <option value="email">Email</option>
            <option value="tokens">Tokens used</option>
          </select>
        </label>
      </header>
      <div className="admin-split">
        <div className="admin-main">
          <LoadState loading={list.loading} error={list.error} empty={users.length === 0} emptyText="No users match." onRetry={() => void list.reload()}>
            <table className="admin-table">
              <thead>
                <tr>
                  <th>Email</th>
                  <th>Plan</th>
                  <th>Role</th>
                  <th>Tokens this month</th>
                  <th>Tasks today</th>
                  <th>Cost</th>
                  <th>Last active</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <tr key={u.uid} className={u.uid === open ? 'selected' : ''} onClick={() => select(u.uid === open ? null : u)}>
                    <td>
                      <button type="button" className="link" aria-label={`Open ${u.email ?? u.uid}`} onClick={(e) => (e.stopPropagation(), select(u))}>
                        {u.email ?? u.uid}
                      </button>
                    </td>
                    <td>{u.plan}</td>
                    <td>{u.admin ? <Badge tone="warn">admin</Badge> : 'user'}</td>
                    <td>
                      <TokenBar user={u} />
                    </td>
                    <td>
                      {u.tasksToday.used} / {u.tasksToday.limit}
                    </td>
                    <td>{formatUsd(u.costUsd)}</td>
                    <td>{formatAgo(u.lastActiveAt)}</td>
                    <td>{u.disabled ? <Badge tone="bad">disabled</Badge> : <Badge tone="ok">active</Badge>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </LoadState>
          <Pager pages={pages} next={list.data?.next} busy={list.loading} />
        </div>
        {selected && <UserPanel key={selected.uid} user={selected} model={model} onClose={() => select(null)} />}
      </div>
    </section>
  );
}
