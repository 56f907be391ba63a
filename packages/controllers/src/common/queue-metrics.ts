/**
 * Where a controller's work queue reports, so the controller-manager can
 * export upstream's `workqueue_*` metrics without controllers knowing
 * about Prometheus. Optional: tests and embedders may leave it out.
 */
export interface QueueMetrics {
  /** One key was added to `queue`. */
  added(queue: string): void;
  /** One key of `queue` was re-queued after a failed sync. */
  retried(queue: string): void;
  /** Registers how to read `queue`'s current depth. */
  depth(queue: string, read: () => number): void;
}
