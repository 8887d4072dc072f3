import './quota.css';
import { ColumnChart } from '../../../components/charts/column-chart';
import { EmptyState } from '../../../components/empty-state';
import { ErrorBox } from '../../../components/error-box';
import { ProgressBar } from '../../../components/progress-bar';
import { Spinner } from '../../../components/spinner';
import { TimeAgo } from '../../../components/time-ago';
import { useQuotaNotifications, useQuotaStatus, useQuotaUsage } from '../api/get-quota';

/** The workspace's daily AI-call quota: today's use, the last 30 days, threshold crossings. */
export function QuotaPanel({ workspaceId }: { workspaceId: string }) {
  return (
    <div className="quota" data-testid="quota-panel">
      <QuotaStatusView workspaceId={workspaceId} />
      <QuotaUsageView workspaceId={workspaceId} />
      <QuotaNotificationsView workspaceId={workspaceId} />
    </div>
  );
}

function QuotaStatusView({ workspaceId }: { workspaceId: string }) {
  const query = useQuotaStatus(workspaceId);
  if (query.isPending) return <Spinner label="Loading quota…" />;
  if (!query.data) {
    return (
      <ErrorBox
        error={query.error}
        title="Could not load the quota"
        onRetry={() => void query.refetch()}
      />
    );
  }
  const { used, limit, remaining, resetsAt } = query.data;
  const exhausted = remaining <= 0;
  return (
    <div className="quota__status" data-testid="quota-status" data-used={used} data-limit={limit}>
      <div className="quota__figures">
        <span className={exhausted ? 'quota__used quota__used--out' : 'quota__used'}>
          {used.toLocaleString('en-US')} / {limit.toLocaleString('en-US')}
        </span>
        <span className="muted small">
          AI calls today · {remaining.toLocaleString('en-US')} left · resets{' '}
          <TimeAgo iso={resetsAt} />
        </span>
      </div>
      <ProgressBar
        value={limit > 0 ? (used / limit) * 100 : 0}
        label="Share of today's AI calls used"
      />
      {exhausted && (
        <div className="notice notice--warn" role="status">
          The quota is used up: display content waits for tomorrow's quota.
        </div>
      )}
    </div>
  );
}

function QuotaUsageView({ workspaceId }: { workspaceId: string }) {
  const query = useQuotaUsage(workspaceId);
  if (query.isPending) return <Spinner label="Loading usage…" />;
  if (!query.data) {
    return (
      <ErrorBox
        error={query.error}
        title="Could not load usage"
        onRetry={() => void query.refetch()}
      />
    );
  }
  const { days, total } = query.data;
  return (
    <div className="quota__usage">
      <div className="small muted">
        Last 30 days: {total.toLocaleString('en-US')} AI call{total === 1 ? '' : 's'}
      </div>
      {total === 0 ? (
        <EmptyState>No AI calls in the last 30 days.</EmptyState>
      ) : (
        <ColumnChart
          title={`AI calls per day, last 30 days: ${total} in total`}
          data={days.map((day) => ({ label: day.day, value: day.calls }))}
          testId="quota-usage-chart"
        />
      )}
    </div>
  );
}

function QuotaNotificationsView({ workspaceId }: { workspaceId: string }) {
  const query = useQuotaNotifications(workspaceId);
  if (query.isPending) return <Spinner label="Loading notifications…" />;
  if (!query.data) {
    return (
      <ErrorBox
        error={query.error}
        title="Could not load quota notifications"
        onRetry={() => void query.refetch()}
      />
    );
  }
  const items = query.data.items;
  if (items.length === 0) {
    return <EmptyState>No quota warnings: usage stayed under 80 %.</EmptyState>;
  }
  return (
    <ul
      className="notifications"
      aria-label="Quota notifications"
      data-testid="quota-notifications"
    >
      {items.map((item) => (
        <li key={`${item.day}-${item.threshold}`} className="notifications__item">
          <span className={item.threshold >= 100 ? 'badge badge--red' : 'badge badge--amber'}>
            {item.threshold} %
          </span>{' '}
          {item.used.toLocaleString('en-US')} of {item.limit.toLocaleString('en-US')} calls on{' '}
          {item.day}
          {' · '}
          <TimeAgo iso={item.createdAt} />
        </li>
      ))}
    </ul>
  );
}
