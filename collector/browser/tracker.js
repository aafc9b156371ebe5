/* etl tracker: pageviews (pushState too), link clicks, form submissions (no field values), etl.track and
 * etl.identify, sent in batches to the collector that serves this file. Plain ES2017, no build step.
 * <script src="https://collector.example.com/tracker.js" data-write-key="..." async></script>
 * Options (data-*): write-key, api (collector origin; default: this script's), flush-interval (ms, 5000),
 * flush-at (events, 20), opt-out (present: send nothing). Nothing is sent with Do-Not-Track, Global Privacy
 * Control, data-opt-out or localStorage etl_opt_out = "1" (etl.optOut()). */
(function (w, d) {
  'use strict';
  if (w.etl && w.etl.loaded) return;
  var nav = navigator;
  var script = d.currentScript || d.querySelector('script[data-write-key]');
  if (!script) return;
  var attr = function (name) { return script.getAttribute('data-' + name); };
  var key = attr('write-key');
  var api = (attr('api') || new URL(script.src, location.href).origin).replace(/\/+$/, '') + '/v1/batch';
  var interval = Number(attr('flush-interval')) || 5000;
  var flushAt = Number(attr('flush-at')) || 20;
  // Under the collector's limits (500 events, 512000 bytes a body, 32768 bytes of properties) and the
  // 64 KB that sendBeacon and keepalive requests may carry.
  var MAX_EVENTS = 100, MAX_BYTES = 60000, MAX_PROPERTIES = 32000, MAX_ATTEMPTS = 8, TIMEOUT = 10000;
  var ANON = 'etl_anonymous_id', USER = 'etl_user_id', OPT_OUT = 'etl_opt_out';

  function get(k) { try { return w.localStorage.getItem(k); } catch (e) { return null; } }
  function put(k, v) { try { if (v === null) w.localStorage.removeItem(k); else w.localStorage.setItem(k, v); } catch (e) { /* private mode */ } return v; }
  function bytes(text) { return new TextEncoder().encode(text).length; }
  function warn(message) { if (w.console) console.warn('etl tracker: ' + message); }

  function uuid() {
    var b = new Uint8Array(16), h = '';
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    for (var i = 0; i < 16; i++) h += (b[i] + 256).toString(16).slice(1) + (i === 3 || i === 5 || i === 7 || i === 9 ? '-' : '');
    return h;
  }

  var dnt = nav.doNotTrack === '1' || nav.doNotTrack === 'yes' || w.doNotTrack === '1' || nav.msDoNotTrack === '1' || nav.globalPrivacyControl === true;
  function optedOut() {
    return dnt || !key || (script.hasAttribute('data-opt-out') && attr('opt-out') !== 'false') || get(OPT_OUT) === '1';
  }

  var anon = get(ANON) || put(ANON, uuid());
  var user = get(USER);
  var queue = [];
  var inflight = [];
  var retrying = [];

  function track(name, properties) {
    if (optedOut()) return;
    if (typeof name !== 'string' || name === '') return warn('an event needs a name');
    var props = properties && typeof properties === 'object' ? properties : {};
    if (bytes(JSON.stringify(props)) > MAX_PROPERTIES) return warn('event "' + name + '" dropped: its properties are over ' + MAX_PROPERTIES + ' bytes');
    var e = { event: name, messageId: uuid(), time: new Date().toISOString(), anonymousId: anon, properties: props };
    if (user) e.userId = user;
    queue.push(e);
    if (queue.length >= flushAt) flush();
  }

  /** The queue cut into batches under the limits (the queue is emptied). */
  function batches() {
    var out = [], cur = [], size = 120;
    queue.splice(0).forEach(function (e) {
      var n = bytes(JSON.stringify(e)) + 1;
      if (cur.length > 0 && (cur.length >= MAX_EVENTS || size + n > MAX_BYTES)) { out.push(cur); cur = []; size = 120; }
      cur.push(e);
      size += n;
    });
    if (cur.length > 0) out.push(cur);
    return out;
  }

  // text/plain: no preflight, and what sendBeacon sends; the write key travels in the body.
  function body(batch) { return JSON.stringify({ writeKey: key, sentAt: new Date().toISOString(), batch: batch }); }
  function drop(list, item) { var i = list.indexOf(item); if (i >= 0) list.splice(i, 1); }

  function send(batch, attempt, unloading) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, TIMEOUT);
    inflight.push(batch);
    fetch(api, { method: 'POST', body: body(batch), headers: { 'Content-Type': 'text/plain' }, credentials: 'omit', keepalive: !!unloading, signal: controller.signal })
      .then(function (res) {
        if (res.status >= 500 || res.status === 429 || res.status === 408) throw res;
        if (!res.ok) warn(batch.length + ' events refused (' + res.status + ')');
      })
      .catch(function (failure) {
        if (inflight.indexOf(batch) < 0) return; // sent again by a beacon on pagehide
        var after = failure && failure.headers ? Number(failure.headers.get('Retry-After')) || 0 : 0;
        retry(batch, attempt, after * 1000);
      })
      .then(function () { clearTimeout(timer); drop(inflight, batch); });
  }

  /** Again later, with exponential backoff (1 s, 2 s, ... 30 s, jittered; never before Retry-After). */
  function retry(batch, attempt, afterMs) {
    if (attempt + 1 >= MAX_ATTEMPTS) return warn(batch.length + ' events dropped after ' + MAX_ATTEMPTS + ' attempts');
    var delay = Math.max(afterMs, Math.min(30000, 1000 * Math.pow(2, attempt)) * (0.5 + Math.random() / 2));
    var item = { batch: batch };
    item.timer = setTimeout(function () { drop(retrying, item); send(batch, attempt + 1); }, delay);
    retrying.push(item);
  }

  /** Sends the queue; when the page goes away, with sendBeacon, along with what is in flight or waiting to retry. */
  function flush(unloading) {
    if (optedOut()) { queue = []; return; }
    var list = batches();
    if (unloading) {
      retrying.splice(0).forEach(function (item) { clearTimeout(item.timer); list.push(item.batch); });
      // A request the page closes may be lost: the same events again (same messageIds, stored once).
      list = list.concat(inflight.splice(0));
    }
    list.forEach(function (batch) {
      if (unloading && nav.sendBeacon && nav.sendBeacon(api, body(batch))) return;
      send(batch, 0, unloading);
    });
  }

  var lastUrl = null;
  function pageview() {
    if (location.href === lastUrl) return;
    var referrer = lastUrl || d.referrer || undefined;
    lastUrl = location.href;
    track('pageview', { url: location.href, path: location.pathname, title: d.title, referrer: referrer });
  }

  var push = history.pushState;
  history.pushState = function () {
    var result = push.apply(this, arguments);
    setTimeout(pageview, 0); // after the page has set its new title
    return result;
  };
  w.addEventListener('popstate', pageview);

  d.addEventListener('click', function (ev) {
    var a = ev.target && ev.target.closest ? ev.target.closest('a[href]') : null;
    if (a) track('link_click', { href: a.href, text: (a.textContent || '').trim().slice(0, 200), id: a.id || undefined });
  }, true);

  d.addEventListener('submit', function (ev) {
    var f = ev.target;
    if (!f || !f.getAttribute) return;
    var action = f.getAttribute('action');
    track('form_submit', {
      id: f.getAttribute('id') || undefined,
      name: f.getAttribute('name') || undefined,
      action: new URL(action || '', location.href).href,
      method: (f.getAttribute('method') || 'get').toLowerCase(),
    });
  }, true);

  w.addEventListener('pagehide', function () { flush(true); });
  d.addEventListener('visibilitychange', function () { if (d.visibilityState === 'hidden') flush(true); });
  setInterval(flush, interval);

  var early = Array.isArray(w.etl) ? w.etl : [];
  var etl = w.etl = {
    loaded: true,
    track: track,
    identify: function (id) { user = id === null || id === undefined || id === '' ? null : String(id); put(USER, user); },
    reset: function () { user = put(USER, null); anon = put(ANON, uuid()); },
    flush: function () { flush(false); },
    optOut: function () { put(OPT_OUT, '1'); queue = []; },
    optIn: function () { put(OPT_OUT, null); },
    anonymousId: function () { return anon; },
  };
  // Calls made before this script loaded: window.etl = window.etl || []; etl.push(['track', 'signup', {...}]).
  early.forEach(function (call) { if (call && typeof etl[call[0]] === 'function') etl[call[0]].apply(etl, call.slice(1)); });
  pageview();
})(window, document);
