// The dashboard's script: a file of its own, so the Content-Security-Policy can refuse inline scripts.
// Tokens stay in memory; the session id (not a token) survives a reload in sessionStorage.
let accessToken = null;
const $ = id => document.getElementById(id);

async function api(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { 'content-type': 'application/json', ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}), ...(options.headers || {}) } });
  if (response.status === 401 && sessionStorage.sessionId && !options.retried) {
    if (await refresh()) return api(path, { ...options, retried: true });
  }
  if (!response.ok) throw new Error((await response.json().catch(() => ({}))).detail || response.statusText);
  return response.status === 204 ? null : response.json();
}

async function refresh() {
  const response = await fetch('/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId: sessionStorage.sessionId }) });
  if (!response.ok) { sessionStorage.clear(); return false; }
  accessToken = (await response.json()).accessToken;
  return true;
}

async function show() {
  const profile = await api('/api/v1/user/profile');
  $('who').textContent = profile.name || profile.subject;
  $('login').style.display = 'none';
  $('signed-in').style.display = 'block';
  const rows = await api('/api/v1/subreddits?limit=50');
  $('subreddits').innerHTML = rows.length ? '' : '<tr><td colspan="5" class="muted">no scored items yet</td></tr>';
  for (const s of rows) {
    const n = s.sentiment.count || 1, neg = 100 * s.sentiment.negative / n, neu = neg + 100 * s.sentiment.neutral / n;
    const tr = document.createElement('tr');
    tr.innerHTML = `<td></td><td class="num">${s.posts}</td><td class="num">${s.comments}</td><td class="num">${(s.sentiment.averageScore ?? 0).toFixed(3)}</td><td><div class="bar" style="--neg:${neg}%;--neu:${neu}%"></div></td>`;
    tr.firstChild.textContent = 'r/' + s.subreddit;
    $('subreddits').appendChild(tr);
  }
}

$('login').addEventListener('submit', async e => {
  e.preventDefault();
  $('login-error').textContent = '';
  try {
    const tokens = await api('/auth/login', { method: 'POST', body: JSON.stringify({ userName: $('user').value, password: $('password').value, scope: 'sentiment.read sentiment.score' }) });
    accessToken = tokens.accessToken;
    sessionStorage.sessionId = tokens.sessionId;
    await show();
  } catch (error) { $('login-error').textContent = error.message; }
});

$('logout').addEventListener('click', async e => {
  e.preventDefault();
  await api('/auth/logout', { method: 'POST', body: JSON.stringify({ sessionId: sessionStorage.sessionId }) }).catch(() => {});
  sessionStorage.clear(); accessToken = null; location.reload();
});

$('score').addEventListener('click', async () => {
  try {
    const result = (await api('/api/v1/sentiment/score', { method: 'POST', body: JSON.stringify({ text: $('text').value }) })).results[0];
    $('verdict').textContent = `${result.label} (score ${result.score.toFixed(2)}, confidence ${result.confidence.toFixed(2)}, ${result.model})`;
  } catch (error) { $('verdict').textContent = error.message; }
});

if (sessionStorage.sessionId) refresh().then(ok => ok && show());
