// The dashboard's script: a file of its own, so the Content-Security-Policy can refuse inline scripts. Charts are
// Chart.js (vendored into lib/ at build time). The page holds no token: signing in sets an HttpOnly session cookie
// and the Gateway keeps the tokens (backend for frontend); every state-changing call carries X-CSRF: 1, which a page
// of another site cannot add. Every text from Reddit goes into the page as textContent, never as HTML.
'use strict';

let signedIn = false;
const $ = id => document.getElementById(id);
const REFRESH_MS = 15000;
const REDDIT_BEGAN = Date.UTC(2005, 5, 1);
const HOUR = 3600e3, DAY = 24 * HOUR;
const COLORS = { negative: '#c0392b', neutral: '#9e9e9e', positive: '#27ae60', volume: 'rgba(52, 101, 164, .35)', score: '#34495e' };

const state = {
  range: { preset: '30d', from: null, to: null },
  interval: 'auto',
  subreddit: null,
  subreddits: [],
  keyword: null,
  admin: false,
  throughput: [],
  lastProcessed: null,
};
const charts = {};
window.dashboard = { state, charts }; // for the browser tests and for a curious user at the console

// ---- API ----

async function api(path, options = {}) {
  const headers = { 'content-type': 'application/json', 'x-csrf': '1' };
  const response = await fetch(path, { ...options, headers, credentials: 'same-origin' });
  if (response.status === 401 && signedIn && !options.quiet) { signedIn = false; location.reload(); }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    const detail = problem.errors ? Object.values(problem.errors).flat().join(' ') : problem.detail;
    throw new Error(detail || problem.error_description || problem.title || response.statusText);
  }
  return response.status === 204 ? null : response.json();
}


// ---- range and interval ----

function ceilHour(ms) { return Math.ceil(ms / HOUR) * HOUR; }

function currentRange() {
  const r = state.range;
  if (r.preset === 'custom' && r.from && r.to) return { from: r.from, to: r.to };
  const to = ceilHour(Date.now());
  const span = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY }[r.preset];
  return { from: span ? to - span : REDDIT_BEGAN, to };
}

function currentInterval() {
  if (state.interval !== 'auto') return state.interval;
  const { from, to } = currentRange();
  return to - from <= 2 * DAY ? 'hour' : to - from <= 120 * DAY ? 'day' : 'week';
}

function rangeQuery() {
  const { from, to } = currentRange();
  return `from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(to).toISOString())}`;
}

function formatBucket(iso, interval) {
  const text = new Date(iso).toISOString();
  return interval === 'hour' ? `${text.slice(5, 10)} ${text.slice(11, 13)}:00` : text.slice(0, 10);
}

function formatInstant(iso) { return new Date(iso).toISOString().slice(0, 16).replace('T', ' ') + ' UTC'; }

// ---- charts ----

function drawChart(name, config) {
  const box = $(`${name}-chart-box`);
  if (charts[name]) charts[name].destroy();
  charts[name] = new Chart($(`${name}-chart`), { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options } });
  const points = config.data.datasets.reduce((n, d) => Math.max(n, d.data.length), 0);
  box.dataset.points = String(points); // what the chart shows, for tests: how many points it drew
}

function seriesChart(name, points, interval) {
  drawChart(name, {
    data: {
      labels: points.map(p => formatBucket(p.bucket, interval)),
      datasets: [
        { type: 'bar', label: 'items', data: points.map(p => p.sentiment.count), backgroundColor: COLORS.volume, yAxisID: 'volume' },
        { type: 'line', label: 'average score', data: points.map(p => p.sentiment.averageScore), borderColor: COLORS.score, pointRadius: points.length > 60 ? 0 : 2, yAxisID: 'score' },
      ],
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: {
        score: { position: 'left', min: -1, max: 1, title: { display: true, text: 'average score' } },
        volume: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'items' } },
      },
    },
  });
}

// ---- sections ----

async function loadOverview() {
  const rows = await api(`/api/v1/subreddits?limit=50&${rangeQuery()}`);
  state.subreddits = rows;
  const { from, to } = currentRange();
  $('range-label').textContent = `${formatInstant(new Date(from).toISOString())} → ${formatInstant(new Date(to).toISOString())} · by ${currentInterval()}`;
  $('empty').style.display = rows.length ? 'none' : 'block';
  const body = $('subreddits');
  body.replaceChildren();
  for (const s of rows) {
    const n = s.sentiment.count || 1, neg = 100 * s.sentiment.negative / n, neu = neg + 100 * s.sentiment.neutral / n;
    const tr = document.createElement('tr');
    tr.className = 'clickable' + (s.subreddit === state.subreddit ? ' selected' : '');
    tr.dataset.subreddit = s.subreddit;
    tr.innerHTML = `<td></td><td class="num"></td><td class="num"></td><td class="num"></td><td><div class="bar"></div></td>`;
    tr.cells[0].textContent = 'r/' + s.subreddit;
    tr.cells[1].textContent = s.posts.toLocaleString();
    tr.cells[2].textContent = s.comments.toLocaleString();
    tr.cells[3].textContent = (s.sentiment.averageScore ?? 0).toFixed(3);
    tr.querySelector('.bar').style.cssText = `--neg:${neg}%;--neu:${neu}%`;
    tr.addEventListener('click', () => selectSubreddit(s.subreddit));
    body.appendChild(tr);
  }
  if (!rows.some(s => s.subreddit === state.subreddit)) state.subreddit = rows.length ? rows[0].subreddit : null;
  for (const tr of body.rows) tr.classList.toggle('selected', tr.dataset.subreddit === state.subreddit);
}

async function loadSeries() {
  const interval = currentInterval();
  $('series-title').textContent = state.subreddit ? `r/${state.subreddit}` : '—';
  if (!state.subreddit) { seriesChart('series', [], interval); return; }
  const series = await api(`/api/v1/subreddits/${encodeURIComponent(state.subreddit)}/timeseries?interval=${interval}&${rangeQuery()}`);
  seriesChart('series', series.points, interval);
}

function loadLabels() {
  const rows = state.subreddit ? state.subreddits.filter(s => s.subreddit === state.subreddit) : state.subreddits;
  const total = { negative: 0, neutral: 0, positive: 0, count: 0, confidence: 0 };
  for (const s of rows) {
    for (const label of ['negative', 'neutral', 'positive']) total[label] += s.sentiment[label];
    total.count += s.sentiment.count;
    total.confidence += (s.sentiment.averageConfidence ?? 0) * s.sentiment.count;
  }
  $('labels-title').textContent = state.subreddit ? `r/${state.subreddit}` : 'all';
  drawChart('labels', {
    type: 'doughnut',
    data: { labels: ['negative', 'neutral', 'positive'], datasets: [{ data: total.count ? [total.negative, total.neutral, total.positive] : [], backgroundColor: [COLORS.negative, COLORS.neutral, COLORS.positive] }] },
    options: { plugins: { legend: { position: 'right' } } },
  });
  $('confidence').textContent = total.count
    ? `${total.count.toLocaleString()} items · average confidence ${(total.confidence / total.count).toFixed(2)}`
    : 'no items';
}

function postList(list, posts, empty) {
  list.replaceChildren();
  if (!posts.length) { const li = document.createElement('li'); li.className = 'muted'; li.textContent = empty; list.appendChild(li); return; }
  for (const p of posts) {
    const li = document.createElement('li');
    const link = document.createElement('a');
    link.href = '#';
    link.textContent = p.title || '(no title)';
    link.dataset.postId = p.id;
    link.addEventListener('click', e => { e.preventDefault(); showPost(p.id).catch(showError); });
    const meta = document.createElement('span');
    meta.className = `label ${p.sentimentLabel}`;
    meta.textContent = ` ${p.sentimentScore.toFixed(2)} · r/${p.subreddit}`;
    li.append(link, meta);
    list.appendChild(li);
  }
}

async function loadTopPosts() {
  const subreddit = state.subreddit ? `subreddit=${encodeURIComponent(state.subreddit)}&` : '';
  const [positive, negative] = await Promise.all([
    api(`/api/v1/posts?${subreddit}sort=sentiment_desc&label=positive&limit=5&${rangeQuery()}`),
    api(`/api/v1/posts?${subreddit}sort=sentiment_asc&label=negative&limit=5&${rangeQuery()}`),
  ]);
  postList($('top-positive'), positive.items, 'no positive posts in this range');
  postList($('top-negative'), negative.items, 'no negative posts in this range');
}

async function showPost(id) {
  const detail = await api(`/api/v1/posts/${encodeURIComponent(id)}?comments=100`);
  const p = detail.post;
  $('post-title').textContent = p.title || '(no title)';
  $('post-meta').textContent = `r/${p.subreddit} · u/${p.author} · ${formatInstant(p.createdAt)} · ${p.sentimentLabel} ${p.sentimentScore.toFixed(2)} (confidence ${p.confidenceScore.toFixed(2)})`;
  $('post-body').textContent = detail.body;
  const c = detail.commentSentiment;
  $('post-comment-summary').textContent = c.count
    ? `${c.count} · average ${c.averageScore.toFixed(2)} · ${c.negative} negative, ${c.neutral} neutral, ${c.positive} positive`
    : 'none stored';
  const list = $('post-comments');
  list.replaceChildren();
  for (const comment of detail.comments) {
    const li = document.createElement('li');
    const label = document.createElement('span');
    label.className = `label ${comment.sentimentLabel}`;
    label.textContent = `${comment.sentimentLabel} ${comment.sentimentScore.toFixed(2)} `;
    const text = document.createElement('span');
    text.textContent = comment.body;
    li.append(label, text);
    list.appendChild(li);
  }
  $('post-detail').style.display = 'block';
  $('post-detail').scrollIntoView({ block: 'nearest' });
}

async function search(q) {
  const result = await api(`/api/v1/search?q=${encodeURIComponent(q)}&top=10&${rangeQuery()}`);
  const p = result.posts, c = result.comments;
  $('search-summary').textContent =
    `"${result.query}": ${p.count.toLocaleString()} posts, ${c.count.toLocaleString()} comments` +
    (p.count + c.count ? ` · ${p.negative + c.negative} negative, ${p.neutral + c.neutral} neutral, ${p.positive + c.positive} positive · by ${result.interval}` : '');
  seriesChart('search', result.trend, result.interval === 'hour' ? 'hour' : 'day');
  postList($('search-posts'), result.topPosts, 'no posts match');
}

async function loadKeywords() {
  const [keywords, alerts] = await Promise.all([api('/api/v1/keywords'), api(`/api/v1/alerts?limit=20&${rangeQuery()}`)]);
  const body = $('keywords');
  body.replaceChildren();
  if (!keywords.length) {
    const tr = body.insertRow(); const td = tr.insertCell(); td.className = 'muted';
    td.textContent = state.admin ? 'No keywords tracked yet: add one above.' : 'No keywords tracked yet (an admin adds them).';
  }
  if (!keywords.some(k => k.id === state.keyword)) state.keyword = keywords.length ? keywords[0].id : null;
  for (const k of keywords) {
    const tr = body.insertRow();
    tr.className = 'clickable' + (k.id === state.keyword ? ' selected' : '');
    tr.insertCell().textContent = k.phrase;
    tr.insertCell().textContent = k.subreddit ? `r/${k.subreddit}` : 'all subreddits';
    tr.insertCell().textContent = `${alerts.filter(a => a.keyword.id === k.id).length} alerts`;
    const actions = tr.insertCell();
    if (state.admin) {
      const remove = document.createElement('button');
      remove.textContent = 'Stop tracking';
      remove.addEventListener('click', async e => { e.stopPropagation(); await api(`/api/v1/admin/keywords/${k.id}`, { method: 'DELETE' }).catch(showError); loadKeywords().catch(showError); });
      actions.appendChild(remove);
    }
    tr.addEventListener('click', () => { state.keyword = k.id; loadKeywords().catch(showError); });
  }

  const list = $('alerts');
  list.replaceChildren();
  if (!alerts.length) { const li = document.createElement('li'); li.className = 'muted'; li.textContent = 'No alerts in this range.'; list.appendChild(li); }
  for (const a of alerts) {
    const li = document.createElement('li');
    li.className = a.kind;
    const where = a.keyword.subreddit ? ` in r/${a.keyword.subreddit}` : '';
    const values = a.kind === 'volume_spike'
      ? `${a.windowValue.toFixed(1)} mentions/h against ${a.baselineValue.toFixed(1)}`
      : `net sentiment ${a.windowValue.toFixed(2)} against ${a.baselineValue.toFixed(2)}`;
    li.textContent = `${a.kind.replace('_', ' ')} · "${a.keyword.phrase}"${where} · z = ${a.zScore.toFixed(1)} · ${a.windowItems} mentions since ${formatInstant(a.windowStart)} · ${values}`;
    list.appendChild(li);
  }

  if (state.keyword === null) { seriesChart('keyword', [], 'day'); return; }
  const interval = currentInterval();
  const trend = await api(`/api/v1/keywords/${state.keyword}/trend?interval=${interval}&${rangeQuery()}`);
  seriesChart('keyword', trend.points, interval);
}

async function loadPipeline() {
  if (!state.admin) return;
  const status = await api('/api/v1/admin/queues');
  const body = $('queues');
  body.replaceChildren();
  const rows = [...Object.entries(status.queues), ['items stored', status.processedCount], ['items parked (failed)', status.failedCount], ['distinct failed items', status.failedItems]];
  for (const [name, value] of rows) {
    const tr = body.insertRow();
    tr.insertCell().textContent = name;
    const cell = tr.insertCell(); cell.className = 'num'; cell.textContent = value.toLocaleString();
  }
  const now = Date.now();
  if (state.lastProcessed) {
    const rate = (status.processedCount - state.lastProcessed.count) / ((now - state.lastProcessed.at) / 1000);
    state.throughput.push({ bucket: new Date(now).toISOString(), rate: Math.max(0, rate) });
    state.throughput = state.throughput.slice(-40);
    $('throughput').textContent = `storing ${rate.toFixed(1)} items/s`;
  }
  state.lastProcessed = { count: status.processedCount, at: now };
  drawChart('throughput', {
    type: 'line',
    data: { labels: state.throughput.map(t => t.bucket.slice(11, 19)), datasets: [{ label: 'items/s', data: state.throughput.map(t => t.rate), borderColor: COLORS.score, pointRadius: 0 }] },
    options: { scales: { y: { beginAtZero: true } } },
  });
}

// ---- flow ----

function showError(error) { $('refreshed').textContent = `⚠ ${error.message}`; }

async function refreshAll() {
  await loadOverview();
  loadLabels();
  await Promise.all([loadSeries(), loadTopPosts(), loadKeywords(), loadPipeline()]);
  $('refreshed').textContent = `updated ${new Date().toISOString().slice(11, 19)} UTC`;
}

async function selectSubreddit(name) {
  state.subreddit = name;
  for (const tr of $('subreddits').rows) tr.classList.toggle('selected', tr.dataset.subreddit === name);
  loadLabels();
  await Promise.all([loadSeries(), loadTopPosts()]);
}

function setRange(preset) {
  state.range.preset = preset;
  for (const b of document.querySelectorAll('[data-range]')) b.classList.toggle('active', b.dataset.range === preset);
  $('custom-range').style.display = preset === 'custom' ? 'inline' : 'none';
  if (preset !== 'custom') refreshAll().catch(showError);
}

async function show() {
  const profile = await api('/api/v1/user/profile', { quiet: true });
  signedIn = true;
  state.admin = (profile.scopes || []).includes('sentiment.admin');
  document.body.classList.toggle('admin', state.admin);
  document.body.classList.add('signed-in');
  $('who').textContent = profile.name || profile.subject;
  setRange(state.range.preset);
}

async function signIn(userName, password) {
  const body = scope => JSON.stringify({ userName, password, scope });
  try {
    await api('/auth/login', { method: 'POST', body: body('sentiment.read sentiment.score sentiment.admin') });
  } catch (error) {
    // Not an admin: Identity refuses a scope the user may not have rather than narrowing it.
    if (!/may not request/.test(error.message)) throw error;
    await api('/auth/login', { method: 'POST', body: body('sentiment.read sentiment.score') });
  }
}

$('login').addEventListener('submit', async e => {
  e.preventDefault();
  $('login-error').textContent = '';
  try { await signIn($('user').value, $('password').value); await show(); } catch (error) { $('login-error').textContent = error.message; }
});

$('logout').addEventListener('click', async e => {
  e.preventDefault();
  await api('/auth/logout', { method: 'POST', quiet: true }).catch(() => {});
  signedIn = false; location.reload();
});

for (const button of document.querySelectorAll('[data-range]')) button.addEventListener('click', () => setRange(button.dataset.range));
$('apply-range').addEventListener('click', () => {
  const from = Date.parse($('from').value + 'Z'), to = Date.parse($('to').value + 'Z');
  if (!(from < to)) { showError(new Error('Pick a "from" before "to".')); return; }
  state.range = { preset: 'custom', from, to };
  refreshAll().catch(showError);
});
$('interval').addEventListener('change', () => { state.interval = $('interval').value; refreshAll().catch(showError); });
$('show-all').addEventListener('click', () => setRange('all'));
$('close-post').addEventListener('click', () => { $('post-detail').style.display = 'none'; });
$('search-form').addEventListener('submit', e => { e.preventDefault(); if ($('q').value.trim()) search($('q').value.trim()).catch(error => { $('search-summary').textContent = error.message; }); });
$('track-form').addEventListener('submit', async e => {
  e.preventDefault();
  $('track-error').textContent = '';
  try {
    await api('/api/v1/admin/keywords', { method: 'POST', body: JSON.stringify({ phrase: $('track-phrase').value, subreddit: $('track-subreddit').value || null }) });
    $('track-phrase').value = ''; $('track-subreddit').value = '';
    await loadKeywords();
  } catch (error) { $('track-error').textContent = error.message; }
});

$('score').addEventListener('click', async () => {
  try {
    const result = (await api('/api/v1/sentiment/score', { method: 'POST', body: JSON.stringify({ text: $('text').value }) })).results[0];
    $('verdict').textContent = `${result.label} (score ${result.score.toFixed(2)}, confidence ${result.confidence.toFixed(2)}, ${result.model})`;
    const bars = $('probabilities');
    bars.replaceChildren();
    for (const label of ['negative', 'neutral', 'positive']) {
      const row = document.createElement('div');
      row.className = 'probability';
      const name = document.createElement('span'); name.textContent = label;
      const bar = document.createElement('span'); bar.className = `fill ${label}`; bar.style.width = `${(100 * result[label]).toFixed(1)}%`;
      const value = document.createElement('span'); value.className = 'num'; value.textContent = result[label].toFixed(3);
      row.append(name, bar, value);
      bars.appendChild(row);
    }
  } catch (error) { $('verdict').textContent = error.message; }
});

// Refreshes while data arrives, only while the page is in view.
setInterval(() => { if (signedIn && document.visibilityState === 'visible') refreshAll().catch(showError); }, REFRESH_MS);

// A session cookie from before (a reload, a new tab) signs the page in; without one the profile is a 401 and the
// sign-in form stays.
show().catch(() => {});
