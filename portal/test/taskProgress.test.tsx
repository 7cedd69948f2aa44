// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '@hookline/ui';
import { messagesSentOf, taskRefetchInterval, type BackgroundTask } from '../src/api/useBackgroundTask.ts';
import { TaskProgressView } from '../src/components/TaskProgress.tsx';

const task = (status: BackgroundTask['status'], data: Record<string, unknown> = { messagesSent: 3 }): BackgroundTask => ({
  id: 'qtask_1',
  status,
  task: 'endpoint.replay',
  data,
  updatedAt: '2026-03-10T12:00:00.000Z',
});

afterEach(cleanup);

describe('task progress', () => {
  it('polls until the task has finished or failed', () => {
    expect(taskRefetchInterval(undefined)).toBe(1000);
    expect(taskRefetchInterval(task('running'))).toBe(1000);
    expect(taskRefetchInterval(task('finished'))).toBe(false);
    expect(taskRefetchInterval(task('failed'))).toBe(false);
  });

  it('reads the count of messages sent, when the task reports one', () => {
    expect(messagesSentOf(task('running', { messagesSent: 1250 }))).toBe(1250);
    expect(messagesSentOf(task('running', {}))).toBeUndefined();
    expect(messagesSentOf(task('running', { messagesSent: 'x' }))).toBeUndefined();
  });

  it('shows starting, running with its count, then finished with a full bar', () => {
    const { rerender } = render(<TaskProgressView task={undefined} />);
    expect(screen.getByRole('status').textContent).toBe('Starting…');
    expect(screen.getByLabelText('Progress').hasAttribute('value')).toBe(false);

    rerender(<TaskProgressView task={task('running', { messagesSent: 1250 })} />);
    expect(screen.getByRole('status').textContent).toBe('Running: 1,250 messages sent so far.');
    expect(screen.getByText('qtask_1')).toBeTruthy();

    rerender(<TaskProgressView task={task('finished', { messagesSent: 2 })} />);
    expect(screen.getByRole('status').textContent).toBe('Finished: 2 messages sent.');
    const bar = screen.getByLabelText<HTMLProgressElement>('Progress');
    expect([bar.getAttribute('value'), bar.getAttribute('max')]).toEqual(['1', '1']);
  });

  it('says when a task stopped, and shows an error of the API', () => {
    const { rerender } = render(<TaskProgressView task={task('failed', { messagesSent: 0 })} />);
    expect(screen.getByRole('status').textContent).toBe('Stopped after 0 messages sent.');
    rerender(<TaskProgressView task={undefined} error={new ApiError(404, 'not_found', 'Background task not found')} />);
    expect(screen.getByText('Background task not found')).toBeTruthy();
  });
});
