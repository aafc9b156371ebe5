// The pages' script and style, embedded as text so they are served the same from the sources and from dist/
// (tsc does not copy .js/.css files). No build step: plain ES2020 that browsers run as is. The script opens
// ONE EventSource per page (the jobs view or one run), renders from its JSON with the DOM (textContent:
// nothing from the server is parsed as HTML), and sends actions as fetch POSTs with `X-ETL-UI: 1`.
// Keep both free of backquotes and dollar-brace: they live in template literals.

export const UI_JS = String.raw`(function () {
  'use strict';
  var body = document.body;
  var page = body.getAttribute('data-page');
  var stream = body.getAttribute('data-stream');
  var flash = document.getElementById('flash');
  var live = document.getElementById('live');
  var FINISHED = { succeeded: true, failed: true, cancelled: true, skipped: true };
  var UNITS = [['d', 86400000], ['h', 3600000], ['m', 60000], ['s', 1000], ['ms', 1]];

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null && attrs[k] !== false) node.setAttribute(k, attrs[k] === true ? '' : String(attrs[k]));
    (children || []).forEach(function (c) { if (c !== null && c !== undefined) node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c); });
    return node;
  }
  function duration(ms) {
    var rest = Math.round(Math.abs(ms)), text = '';
    UNITS.forEach(function (u) { var n = Math.floor(rest / u[1]); if (n > 0) text += n + u[0]; rest -= n * u[1]; });
    return text || '0ms';
  }
  function runDuration(r) { return r.startedAt === null || r.startedAt === undefined ? '' : duration((r.finishedAt || Date.now()) - r.startedAt); }
  function ago(ms) {
    var d = Date.now() - ms, future = d < 0, a = Math.abs(d), t;
    if (a < 45000) t = Math.round(a / 1000) + 's';
    else if (a < 2700000) t = Math.round(a / 60000) + ' min';
    else if (a < 129600000) t = Math.round(a / 3600000) + ' h';
    else t = Math.round(a / 86400000) + ' d';
    return future ? 'in ' + t : t + ' ago';
  }
  function localize(t) {
    var ms = Number(t.getAttribute('data-ts'));
    if (!ms) return;
    t.textContent = new Date(ms).toLocaleString() + ' (' + ago(ms) + ')';
    t.title = new Date(ms).toISOString();
  }
  function timeEl(ms) {
    if (!ms) return el('span', { 'class': 'muted' }, ['\u2014']);
    var t = el('time', { datetime: new Date(ms).toISOString(), 'data-ts': ms }, []);
    localize(t);
    return t;
  }
  function badge(status) { return el('span', { 'class': 'badge st-' + status }, [status]); }
  function replace(target, nodes) {
    if (!target) return;
    while (target.firstChild) target.removeChild(target.firstChild);
    nodes.forEach(function (n) { target.appendChild(typeof n === 'string' ? document.createTextNode(n) : n); });
  }
  function say(text, isError, href) {
    if (!flash) return;
    replace(flash, [href ? el('a', { href: href }, [text]) : document.createTextNode(text)]);
    flash.className = 'flash' + (isError ? ' error' : '');
  }
  function jobPath(name) { return '/jobs/' + encodeURIComponent(name); }

  // Jobs page: the table body from JobSummary[].
  function jobRow(job) {
    var name = encodeURIComponent(job.name), last = job.lastRun, s = job.schedule;
    var tz = s && s.timeZone !== 'UTC' ? ' (' + s.timeZone + ')' : '';
    return el('tr', { 'data-job': job.name, 'class': job.paused ? 'paused' : '' }, [
      el('td', null, [el('a', { 'class': 'job-name', href: jobPath(job.name) }, [job.name]), el('div', { 'class': 'muted small' }, [job.description || ''])]),
      el('td', null, s === null ? [el('span', { 'class': 'muted' }, ['manual'])] : [el('code', null, [s.cron]), el('div', { 'class': 'small' }, [s.text + tz])]),
      el('td', null, [s === null || job.paused ? el('span', { 'class': 'muted' }, [job.paused ? 'paused' : '\u2014']) : timeEl(s.next)]),
      el('td', null, last === null ? [el('span', { 'class': 'muted' }, ['never'])] : [el('a', { href: '/runs/' + last.id }, [badge(last.status)]), ' ', timeEl(last.startedAt || last.queuedAt), ' ', el('span', { 'class': 'small muted' }, [runDuration(last)])]),
      el('td', { 'class': 'squares' }, job.recent.map(function (r) { return el('a', { 'class': 'sq st-' + r.status, href: '/runs/' + r.id, title: 'run #' + r.id + ': ' + r.status }, []); })),
      el('td', { 'class': 'state' }, [job.paused ? el('span', { 'class': 'badge st-paused' }, ['paused']) : el('span', { 'class': 'muted' }, ['active'])]),
      el('td', { 'class': 'actions' }, [
        el('button', { type: 'button', 'data-post': '/api/jobs/' + name + '/trigger', 'data-kind': 'trigger' }, ['Trigger']),
        job.paused
          ? el('button', { type: 'button', 'data-post': '/api/jobs/' + name + '/resume', 'data-kind': 'resume' }, ['Resume'])
          : el('button', { type: 'button', 'data-post': '/api/jobs/' + name + '/pause', 'data-kind': 'pause' }, ['Pause'])
      ])
    ]);
  }
  function renderJobs(jobs) { replace(document.getElementById('jobs'), jobs.map(jobRow)); }

  // Run page: graph nodes, node table, errors, log, facts from a RunRecord.
  function renderRun(run) {
    var byName = {};
    run.nodes.forEach(function (n) { byName[n.name] = n; });
    replace(document.getElementById('run-status'), [badge(run.status)]);
    var cancel = document.getElementById('cancel');
    if (cancel) cancel.hidden = !!FINISHED[run.status];
    var err = document.getElementById('run-error');
    if (err) { err.textContent = run.error || ''; err.hidden = !run.error; }
    replace(document.getElementById('run-started'), [timeEl(run.startedAt)]);
    replace(document.getElementById('run-finished'), [timeEl(run.finishedAt)]);
    var d = document.getElementById('run-duration'); if (d) d.textContent = runDuration(run);
    var w = document.getElementById('run-worker'); if (w) w.textContent = run.host ? run.host + ' (pid ' + (run.pid === null ? '?' : run.pid) + ')' : '\u2014';
    document.querySelectorAll('#graph svg g.node').forEach(function (g) {
      var title = g.querySelector('title');
      if (!title) return;
      var n = byName[title.textContent];
      g.setAttribute('class', 'node st-' + (n ? n.status : 'pending'));
      var counts = g.querySelector('text.counts');
      if (counts) counts.textContent = n ? 'in ' + n['in'] + ' out ' + n.out + ' err ' + n.err : '';
    });
    replace(document.getElementById('nodes'), run.nodes.map(function (n) {
      return el('tr', { 'data-node': n.name, 'class': 'st-' + n.status }, [
        el('td', null, [n.name]), el('td', null, [n.kind]), el('td', null, [badge(n.status)]),
        el('td', { 'class': 'num' }, [n['in']]), el('td', { 'class': 'num' }, [n.out]), el('td', { 'class': 'num' }, [n.err]),
        el('td', null, [runDuration(n)])
      ]);
    }));
    var rows = [];
    run.nodes.forEach(function (n) {
      if (n.fatal) rows.push(el('tr', { 'class': 'fatal' }, [el('td', null, [n.name]), el('td', null, ['\u2014']), el('td', null, ['\u2014']), el('td', { 'class': 'error-text' }, [n.fatal])]));
      (n.errors || []).forEach(function (e) {
        rows.push(el('tr', null, [el('td', null, [e.node]), el('td', { 'class': 'num' }, [e.rowNumber]), el('td', null, [el('code', { 'class': 'row' }, [e.row])]), el('td', { 'class': 'error-text' }, [e.error])]));
      });
    });
    replace(document.getElementById('errors'), rows);
    var log = document.getElementById('log');
    if (log) log.textContent = (run.logTail || []).map(function (l) { return l + '\n'; }).join('');
  }

  function post(url, data) {
    var headers = { 'X-ETL-UI': '1', 'Accept': 'application/json' };
    if (data !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(url, { method: 'POST', headers: headers, credentials: 'same-origin', body: data === undefined ? undefined : JSON.stringify(data) })
      .then(function (r) { return r.json().catch(function () { return {}; }).then(function (b) { return { ok: r.ok, status: r.status, body: b }; }); });
  }
  function refreshJobs() {
    return fetch('/api/jobs', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (jobs) { if (jobs) renderJobs(jobs); })
      .catch(function () { return undefined; });
  }

  // Job page: the partition calendar. Cells are found by their partition key; the partitions stream
  // re-colours them, a click on one shows its run and a re-run of it, the form queues a backfill.
  var LETTERS = { missing: '.', queued: 'q', running: 'r', success: 'S', failed: 'F', skipped: '-' };
  var calendar = document.getElementById('partitions');
  var cells = {};
  var selectedKey = null;
  if (calendar) calendar.querySelectorAll('td[data-key]').forEach(function (td) { cells[td.getAttribute('data-key')] = td; });
  function partitionTitle(s) {
    var parts = [s.key, s.status];
    if (s.runId !== null && s.runId !== undefined) parts.push('run #' + s.runId);
    if (s.attempts > 1) parts.push(s.attempts + ' attempts');
    if (s.reason) parts.push(s.reason);
    return parts.join(' \u00b7 ');
  }
  function cellStatus(td) { var m = /(?:^| )ps-([a-z]+)/.exec(td.className) || /(?:^| )ps-([a-z]+)/.exec((td.querySelector('.badge') || {}).className || ''); return m ? m[1] : 'missing'; }
  function setPartition(s) {
    var td = cells[s.key];
    if (!td) return;
    td.title = partitionTitle(s);
    if (s.runId === null || s.runId === undefined) td.removeAttribute('data-run'); else td.setAttribute('data-run', s.runId);
    if (td.classList.contains('pc-day')) {
      replace(td, [el('span', { 'class': 'badge ps-' + s.status }, [s.status])].concat(s.runId === null || s.runId === undefined ? [] : [document.createTextNode(' '), el('a', { href: '/runs/' + s.runId }, ['#' + s.runId])]));
    } else {
      td.className = 'pc ps-' + s.status;
      td.textContent = LETTERS[s.status] || '?';
    }
  }
  function rerunPath(key) { return '/api/jobs/' + encodeURIComponent(calendar.getAttribute('data-job')) + '/partitions/' + encodeURIComponent(key) + '/run'; }
  function showDetail(key) {
    var td = cells[key], detail = document.getElementById('pc-detail');
    if (!td || !detail) return;
    selectedKey = key;
    Object.keys(cells).forEach(function (k) { cells[k].classList.toggle('selected', k === key); });
    var run = td.getAttribute('data-run'), hour = key.length > 10;
    replace(detail, [
      el('span', { 'class': 'badge ps-' + cellStatus(td) }, [cellStatus(td)]), ' ', el('code', null, [key]), ' ', document.createTextNode(td.title.split(' \u00b7 ').slice(2).filter(function (t) { return t.indexOf('run #') !== 0; }).join(' \u00b7 ')), ' ',
      run ? el('a', { href: '/runs/' + run }, ['open run #' + run]) : el('span', { 'class': 'muted' }, ['never run']), ' ',
      el('button', { type: 'button', 'data-post': rerunPath(key), 'data-kind': 'rerun', 'data-key': key }, [hour ? 'Re-run this hour' : 'Re-run this day'])
    ]);
    detail.className = 'pc-detail';
  }
  function renderPartitions(cal) {
    cal.days.forEach(function (d) { setPartition(d.day); d.hours.forEach(setPartition); });
    document.querySelectorAll('#pc-counts li[data-status]').forEach(function (li) { var b = li.querySelector('b'); if (b) b.textContent = String(cal.counts[li.getAttribute('data-status')] || 0); });
    if (selectedKey) showDetail(selectedKey);
    body.setAttribute('data-partitions-at', String(Date.now()));
  }
  function queuedText(b, what) {
    var n = b.runIds ? b.runIds.length : 0;
    if (n === 0) return 'nothing to run' + (b.reason ? ': ' + b.reason : '');
    return 'queued ' + n + ' run' + (n === 1 ? '' : 's') + (what ? ' of ' + what : '') + ' for the ' + (b.by === 'worker' ? 'workers' : 'scheduler') + ' (#' + b.runIds[0] + (n > 1 ? '\u2013#' + b.runIds[n - 1] : '') + ')';
  }
  if (calendar) {
    calendar.addEventListener('click', function (ev) {
      var td = ev.target && ev.target.closest ? ev.target.closest('td[data-key]') : null;
      if (td && !(ev.target.closest('a'))) showDetail(td.getAttribute('data-key'));
    });
    var form = document.getElementById('backfill');
    var result = document.getElementById('backfill-result');
    if (form) form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var f = form.elements, submit = form.querySelector('button[type="submit"]');
      var request = { from: f.namedItem('from').value, to: f.namedItem('to').value, grain: f.namedItem('grain').value };
      if (f.namedItem('only').value) request.only = f.namedItem('only').value;
      if (submit) submit.disabled = true;
      post(form.getAttribute('data-post'), request).then(function (res) {
        if (submit) submit.disabled = false;
        var b = res.body || {}, ok = res.ok;
        var message = ok ? queuedText(b, request.from + ' \u2026 ' + request.to + ' (' + request.grain + (request.only ? ', only ' + request.only : '') + ')') : (b.error || 'failed (HTTP ' + res.status + ')');
        if (result) {
          replace(result, ok && b.runIds && b.runIds.length > 0 ? [document.createTextNode(message + ' '), el('a', { href: '/runs?job=' + encodeURIComponent(calendar.getAttribute('data-job')) + '&trigger=backfill' }, ['see the runs'])] : [document.createTextNode(message)]);
          result.className = 'pc-result' + (ok ? ' ok' : ' error');
        }
      }, function (e) { if (submit) submit.disabled = false; if (result) { result.textContent = 'failed: ' + e; result.className = 'pc-result error'; } });
    });
  }

  document.addEventListener('click', function (ev) {
    var button = ev.target && ev.target.closest ? ev.target.closest('button[data-post]') : null;
    if (!button) return;
    ev.preventDefault();
    var kind = button.getAttribute('data-kind');
    button.disabled = true;
    post(button.getAttribute('data-post')).then(function (res) {
      button.disabled = false;
      if (!res.ok) { say((res.body && res.body.error) || 'failed (HTTP ' + res.status + ')', true); return; }
      var b = res.body || {};
      if (kind === 'trigger') say('run #' + b.runId + ' started', false, '/runs/' + b.runId);
      else if (kind === 'pause' || kind === 'resume') {
        say(b.job + (b.paused ? ' paused' : ' resumed'));
        if (page === 'job') {
          var name = encodeURIComponent(b.job);
          button.setAttribute('data-kind', b.paused ? 'resume' : 'pause');
          button.setAttribute('data-post', '/api/jobs/' + name + (b.paused ? '/resume' : '/pause'));
          button.textContent = b.paused ? 'Resume' : 'Pause';
        }
      } else if (kind === 'cancel') say('cancel: ' + b.result);
      else if (kind === 'rerun') {
        var key = button.getAttribute('data-key');
        if (b.runIds && b.runIds.length === 1) say('re-run of ' + key + ': run #' + b.runIds[0] + ' queued', false, '/runs/' + b.runIds[0]);
        else say(queuedText(b, key));
      }
      if (page === 'jobs') refreshJobs();
    }, function (e) { button.disabled = false; say('failed: ' + e, true); });
  });

  document.querySelectorAll('time[data-ts]').forEach(localize);

  if (stream && typeof EventSource === 'function') {
    var es = new EventSource(stream);
    es.onopen = function () { if (live) live.hidden = false; };
    es.onerror = function () { if (live) live.hidden = true; };
    es.addEventListener('partitions', function (ev) { try { renderPartitions(JSON.parse(ev.data)); } catch (e) { say('bad update: ' + e, true); } });
    es.addEventListener('jobs', function (ev) { try { renderJobs(JSON.parse(ev.data)); } catch (e) { say('bad update: ' + e, true); } });
    es.addEventListener('run', function (ev) {
      var run;
      try { run = JSON.parse(ev.data); } catch (e) { say('bad update: ' + e, true); return; }
      renderRun(run);
      body.setAttribute('data-run-status', run.status);
      if (FINISHED[run.status]) { es.close(); if (live) live.hidden = true; }
    });
  }
})();
`;

export const UI_CSS = String.raw`:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2937; --muted: #6b7280; --line: #e5e7eb; --panel: #f9fafb; --link: #2563eb;
  --succeeded: #16a34a; --failed: #dc2626; --running: #2563eb; --queued: #a3a3a3; --cancelled: #9333ea;
  --skipped: #d4d4d4; --pending: #e5e7eb; --paused: #d97706; --none: transparent; --p-missing: #d1d5db; --p-queued: #93c5fd;
  --node-running: #bfdbfe; --node-succeeded: #bbf7d0; --node-failed: #fecaca; --node-cancelled: #e9d5ff; --node-pending: #f3f4f6;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #111827; --fg: #e5e7eb; --muted: #9ca3af; --line: #374151; --panel: #1f2937; --link: #93c5fd;
    --succeeded: #22c55e; --failed: #ef4444; --running: #3b82f6; --queued: #737373; --cancelled: #a855f7;
    --skipped: #525252; --pending: #374151; --paused: #f59e0b; --p-missing: #4b5563; --p-queued: #60a5fa;
    --node-running: #1e3a8a; --node-succeeded: #14532d; --node-failed: #7f1d1d; --node-cancelled: #581c87; --node-pending: #374151;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
header.top { display: flex; align-items: center; gap: 1.5rem; padding: .6rem 1.2rem; border-bottom: 1px solid var(--line); background: var(--panel); }
header.top .brand { font-weight: 700; font-size: 1.1rem; color: var(--fg); }
header.top nav a { margin-right: 1rem; color: var(--muted); }
header.top nav a[aria-current] { color: var(--fg); font-weight: 600; }
.live { color: var(--succeeded); font-size: .85rem; }
.flash { margin-left: auto; font-size: .9rem; }
.flash.error { color: var(--failed); }
main { padding: 1rem 1.2rem 3rem; max-width: 1400px; }
h1 { font-size: 1.4rem; margin: .2rem 0 1rem; display: flex; align-items: center; gap: .6rem; flex-wrap: wrap; }
h2 { font-size: 1.05rem; margin: 1.6rem 0 .6rem; }
.muted { color: var(--muted); }
.small { font-size: .85em; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
table.list { border-collapse: collapse; width: 100%; }
table.list th, table.list td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
table.list th { font-weight: 600; color: var(--muted); font-size: .85rem; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.paused td { opacity: .75; }
td.actions { white-space: nowrap; }
.job-name { font-weight: 600; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 999px; font-size: .8rem; line-height: 1.5; color: #fff; background: var(--queued); }
.badge.st-succeeded { background: var(--succeeded); }
.badge.st-failed { background: var(--failed); }
.badge.st-running { background: var(--running); }
.badge.st-cancelled { background: var(--cancelled); }
.badge.st-skipped { background: var(--skipped); color: var(--fg); }
.badge.st-pending { background: var(--pending); color: var(--fg); }
.badge.st-paused { background: var(--paused); }
.squares { white-space: nowrap; }
.sq { display: inline-block; width: 12px; height: 12px; margin-right: 2px; border-radius: 2px; background: var(--queued); vertical-align: middle; }
.st-succeeded.sq, .cell.st-succeeded, .dot.st-succeeded { background: var(--succeeded); fill: var(--succeeded); }
.st-failed.sq, .cell.st-failed, .dot.st-failed { background: var(--failed); fill: var(--failed); }
.st-running.sq, .cell.st-running, .dot.st-running { background: var(--running); fill: var(--running); }
.st-cancelled.sq, .cell.st-cancelled, .dot.st-cancelled { background: var(--cancelled); fill: var(--cancelled); }
.st-skipped.sq, .cell.st-skipped, .dot.st-skipped { background: var(--skipped); fill: var(--skipped); }
.st-pending.sq, .cell.st-pending, .dot.st-pending { background: var(--pending); fill: var(--pending); }
.cell.st-none { background: var(--none); }
button { font: inherit; padding: .25rem .7rem; margin-right: .3rem; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); color: var(--fg); cursor: pointer; }
button:hover { border-color: var(--link); }
button:disabled { opacity: .5; cursor: progress; }
button[data-kind="cancel"] { border-color: var(--failed); color: var(--failed); }
form.filters { display: flex; gap: 1rem; align-items: end; margin: .5rem 0 1rem; flex-wrap: wrap; }
form.filters label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); gap: .2rem; }
select { font: inherit; padding: .2rem .4rem; background: var(--bg); color: var(--fg); border: 1px solid var(--line); border-radius: 4px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.error-text { color: var(--failed); white-space: pre-wrap; word-break: break-word; }
.error-cell { color: var(--failed); max-width: 32rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
code.row { white-space: pre-wrap; word-break: break-all; }
pre.log { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .7rem; max-height: 24rem; overflow: auto; font-size: .82rem; white-space: pre-wrap; }
.pager a { margin-right: 1rem; }
.grid-wrap { overflow-x: auto; }
table.grid { border-collapse: separate; border-spacing: 2px; }
table.grid th { font-weight: normal; font-size: .8rem; color: var(--muted); text-align: left; }
table.grid th.node-col { padding-right: .8rem; white-space: nowrap; color: var(--fg); }
table.grid td.cell { width: 14px; height: 14px; padding: 0; border-radius: 2px; }
table.grid td.cell a { display: block; width: 100%; height: 14px; }
section.partitions { margin: 1rem 0 1.5rem; }
.pc-nav { margin: .3rem 0 .5rem; }
.pc-nav a { margin: 0 .4rem; }
ul.pc-legend { list-style: none; display: flex; flex-wrap: wrap; gap: .9rem; padding: 0; margin: .3rem 0 .6rem; font-size: .85rem; }
ul.pc-legend .pc { display: inline-block; width: 16px; height: 16px; line-height: 16px; vertical-align: middle; }
table.pcal { border-collapse: separate; border-spacing: 2px; }
table.pcal th { font-weight: normal; font-size: .75rem; color: var(--muted); text-align: left; padding: 0 2px; }
table.pcal th.pc-date { white-space: nowrap; padding-right: .6rem; color: var(--fg); font-variant-numeric: tabular-nums; }
.pc { width: 18px; height: 18px; padding: 0; border-radius: 2px; text-align: center; font: 600 10px/18px ui-monospace, Menlo, Consolas, monospace; color: #fff; cursor: pointer; }
td.pc.selected { outline: 2px solid var(--fg); outline-offset: 1px; }
td.pc-day { white-space: nowrap; padding: 0 .4rem; font-size: .85rem; cursor: pointer; }
td.pc-gap { background: transparent; }
table.pcal button { padding: 0 .45rem; font-size: .8rem; line-height: 1.4; }
.pc.ps-success, .badge.ps-success { background: var(--succeeded); color: #fff; }
.pc.ps-failed, .badge.ps-failed { background: var(--failed); color: #fff; }
.pc.ps-missing, .badge.ps-missing { background: var(--p-missing); color: var(--fg); }
.pc.ps-queued, .badge.ps-queued { background: var(--p-queued); color: #0f172a; }
.pc.ps-running, .badge.ps-running { background: var(--running); color: #fff; }
.pc.ps-skipped, .badge.ps-skipped { background: var(--paused); color: #111827; }
.pc-detail { margin: .5rem 0; min-height: 1.8rem; }
form.backfill input { font: inherit; padding: .15rem .3rem; background: var(--bg); color: var(--fg); border: 1px solid var(--line); border-radius: 4px; }
.pc-result.ok { color: var(--succeeded); }
.pc-result.error { color: var(--failed); }
svg.trend { max-width: 100%; height: auto; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; }
svg.trend .axis { stroke: var(--line); }
svg.trend .tick { fill: var(--muted); font-size: 11px; }
svg.trend .trend-line { fill: none; stroke: var(--link); stroke-width: 1.5; }
.graph { overflow-x: auto; padding: .5rem; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; }
.graph svg { max-width: 100%; height: auto; }
.graph svg g.graph > polygon { fill: transparent; }
.graph svg g.edge path { stroke: var(--muted); }
.graph svg g.edge polygon { fill: var(--muted); stroke: var(--muted); }
.graph svg g.node text { fill: #111827; }
.graph svg g.node text.counts { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 10px; }
.graph svg g.node.st-pending > polygon, .graph svg g.node.st-pending > ellipse, .graph svg g.node.st-pending > path { fill: var(--node-pending); }
.graph svg g.node.st-running > polygon, .graph svg g.node.st-running > ellipse, .graph svg g.node.st-running > path { fill: var(--node-running); stroke: var(--running); stroke-width: 2; }
.graph svg g.node.st-succeeded > polygon, .graph svg g.node.st-succeeded > ellipse, .graph svg g.node.st-succeeded > path { fill: var(--node-succeeded); stroke: var(--succeeded); }
.graph svg g.node.st-failed > polygon, .graph svg g.node.st-failed > ellipse, .graph svg g.node.st-failed > path { fill: var(--node-failed); stroke: var(--failed); stroke-width: 2; }
.graph svg g.node.st-cancelled > polygon, .graph svg g.node.st-cancelled > ellipse, .graph svg g.node.st-cancelled > path { fill: var(--node-cancelled); stroke: var(--cancelled); }
@media (prefers-color-scheme: dark) { .graph svg g.node.st-running text, .graph svg g.node.st-succeeded text, .graph svg g.node.st-failed text, .graph svg g.node.st-cancelled text, .graph svg g.node.st-pending text { fill: #f9fafb; } }
`;
