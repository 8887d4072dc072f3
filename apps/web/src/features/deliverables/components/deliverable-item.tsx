import { useState } from 'react';

import type { DisplayedDeliverable, UpdateDeliverableRequest } from '@orch/contracts';

import type { AgentOption } from '../../../components/agent-options';
import { TimeAgo } from '../../../components/time-ago';
import { isApiError } from '../../../lib/api-client';
import { shortId } from '../../../lib/format';
import { useRegenerateDeliverable } from '../api/regenerate-deliverable';
import { useUpdateDeliverable } from '../api/update-deliverable';
import { DeliverableForm, toDeliverableRequest } from './deliverable-form';

interface DeliverableItemProps {
  deliverable: DisplayedDeliverable;
  workspaceId: string;
  agents: readonly AgentOption[];
  agentNames?: ReadonlyMap<string, string>;
}

export function DeliverableItem({
  deliverable,
  workspaceId,
  agents,
  agentNames,
}: DeliverableItemProps) {
  const [editing, setEditing] = useState(false);
  const update = useUpdateDeliverable(workspaceId);
  const regenerate = useRegenerateDeliverable(workspaceId);
  const regenerateError = regenerate.error;

  return (
    <li className="item" data-testid="deliverable-row" data-deliverable-id={deliverable.id}>
      <div className="item__header">
        <h3 className="item__title">{deliverable.title}</h3>
        <span className="item__meta">
          {deliverable.agentId ? (
            <span className="item__agent" title={deliverable.agentId}>
              {agentNames?.get(deliverable.agentId) ?? `agent ${shortId(deliverable.agentId)}`}
            </span>
          ) : (
            <span className="muted">no agent</span>
          )}
          {' · '}
          <TimeAgo iso={deliverable.createdAt} />
        </span>
        <span className="item__actions">
          <button
            type="button"
            className="btn btn--small btn--ghost"
            aria-expanded={editing}
            onClick={() => setEditing((value) => !value)}
            data-testid="deliverable-edit"
          >
            {editing ? 'Close' : 'Edit'}
            <span className="visually-hidden"> {deliverable.title}</span>
          </button>
          <button
            type="button"
            className="btn btn--small btn--ghost"
            disabled={regenerate.isPending}
            onClick={() => regenerate.mutate(deliverable.id)}
            title="Transform the markdown again now (one AI call)"
            data-testid="deliverable-regenerate"
          >
            {regenerate.isPending ? 'Regenerating…' : 'Regenerate'}
            <span className="visually-hidden"> display of {deliverable.title}</span>
          </button>
        </span>
      </div>
      {regenerateError && (
        <div className="form-error" role="alert">
          {isApiError(regenerateError) && regenerateError.code === 'QUOTA_EXHAUSTED'
            ? 'The daily AI quota is used up: try again after midnight UTC.'
            : regenerateError.message}
        </div>
      )}
      {editing ? (
        <DeliverableForm
          deliverable={deliverable}
          agents={agents}
          onSubmit={(values) => {
            const next = toDeliverableRequest(values);
            const changes: UpdateDeliverableRequest = {};
            if (next.title !== deliverable.title) changes.title = next.title;
            if (next.content !== deliverable.content) changes.content = next.content;
            if ((next.agentId ?? null) !== deliverable.agentId) changes.agentId = next.agentId;
            if (Object.keys(changes).length === 0) return Promise.resolve();
            return update.mutateAsync({ id: deliverable.id, changes });
          }}
          onDone={() => setEditing(false)}
        />
      ) : deliverable.displayStatus === 'ready' && deliverable.displayContent ? (
        <div className="item__display" data-testid="deliverable-display">
          <p className="item__summary">{deliverable.displayContent.summary}</p>
          {/* Sanitised on the server (render.ts): fixed tags, no scripts or handlers. */}
          <div
            className="item__html"
            role="article"
            dangerouslySetInnerHTML={{ __html: deliverable.displayContent.html }}
          />
        </div>
      ) : (
        <>
          <span
            className="badge badge--pending"
            title="Display content is being prepared; a local rendering is shown meanwhile"
            data-testid="deliverable-pending"
          >
            pending
          </span>
          {deliverable.fallbackHtml ? (
            // Rendered and sanitised on the server (render.ts), like the AI's output.
            <div
              className="item__html"
              role="article"
              data-testid="deliverable-fallback"
              dangerouslySetInnerHTML={{ __html: deliverable.fallbackHtml }}
            />
          ) : (
            <pre className="item__content">{deliverable.content}</pre>
          )}
        </>
      )}
    </li>
  );
}
