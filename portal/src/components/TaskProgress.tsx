import { ErrorState } from '@hookline/ui';
import { messagesSentOf, useBackgroundTask, type BackgroundTask } from '../api/useBackgroundTask.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';

/** A background task's state as the API last reported it: running (with its count so far), finished or failed. */
export function TaskProgressView({ task, error }: { task: BackgroundTask | undefined; error?: unknown }) {
  const { t, dateTime } = useI18n();
  if (error) return <ErrorState error={error} />;
  const sent = task ? (messagesSentOf(task) ?? 0) : 0;
  const text = !task
    ? t('task.starting')
    : task.status === 'running'
      ? t('task.running', { count: sent })
      : task.status === 'finished'
        ? t('task.finished', { count: sent })
        : t('task.failed', { count: sent });
  const running = !task || task.status === 'running';
  return (
    <div className="task-progress" data-status={task?.status ?? 'starting'}>
      {/* No total is known until the task ends: an indeterminate bar while it runs, a full one after. */}
      {running ? <progress aria-label={t('task.progress')} /> : <progress aria-label={t('task.progress')} value={1} max={1} />}
      <p role="status" className={task?.status === 'failed' ? 'error-text' : task?.status === 'finished' ? 'success-text' : 'muted'}>
        {text}
      </p>
      {task && (
        <p className="small muted">
          <code>{task.id}</code> · {t('task.updated', { time: dateTime(task.updatedAt) })}
        </p>
      )}
    </div>
  );
}

/** Follows a background task by polling GET /background-task/{id} until it has finished. */
export function TaskProgress({ id }: { id: string }) {
  const task = useBackgroundTask(id);
  return <TaskProgressView task={task.data} error={task.isError ? task.error : undefined} />;
}
