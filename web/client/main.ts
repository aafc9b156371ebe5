// The browser's entry module: picks the page's behaviour from body[data-page], localizes the instants, wires
// the action buttons and follows the page's one stream (body[data-stream]) with the same views as the server.
import { installActions } from './actions.js';
import { installBackfillForm } from './backfill-form.js';
import { byId, localizeTimes } from './dom.js';
import { refreshJobs, renderJobs } from './jobs-page.js';
import { partitionCalendar } from './partitions-page.js';
import { finishedStatuses, renderRun } from './run-page.js';
import { follow } from './stream.js';

const { page, stream } = document.body.dataset;

localizeTimes(document);
installActions(page, () => {
  if (page === 'jobs') void refreshJobs();
});

if (page === 'jobs') follow(stream, { jobs: renderJobs });
else if (page === 'run') {
  const finished = finishedStatuses();
  const following = follow(stream, {
    run: (run) => {
      renderRun(run, finished);
      document.body.dataset.runStatus = run.status;
      if (finished.has(run.status)) following.stop();
    },
  });
} else if (page === 'job') {
  const calendar = partitionCalendar();
  installBackfillForm(byId('partitions')?.dataset.job ?? '');
  if (calendar !== undefined) follow(stream, { partitions: calendar });
} else if (page === 'dashboard') {
  // Loaded on this page only: it brings the chart library (uPlot).
  void import('./dashboard/page.js').then((m) => m.startDashboard());
} else if (page === 'metrics') {
  void import('./explorer/list-page.js').then((m) => m.startMetricList());
} else if (page === 'metric') {
  // Loaded on this page only, as the dashboards': it brings uPlot.
  void import('./explorer/metric-page.js').then((m) => m.startMetricPage());
} else if (page === 'check') {
  void import('./checks/check-page.js').then((m) => m.startCheckPage());
}
