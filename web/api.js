// api.js: the JSON API of CONTRACT.md. One session (cookie) per browser; the
// CSRF token from POST/GET /api/session goes with every changing request.

let csrf = null;

export class ApiError extends Error {
  constructor(status, code, message, path) {
    super(message || code || ('HTTP ' + status));
    this.status = status; this.code = code; this.path = path;
  }
  // The server does not have this endpoint (yet): 404 on the route itself.
  get missingEndpoint() {
    return (this.status === 404 && /^no such resource/.test(this.message)) || this.status === 405 || this.status === 501;
  }
}

export function setCsrf(t) { csrf = t || null; }

// request('GET', '/api/years') → parsed JSON; throws ApiError.
export async function request(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  let payload;
  if (body !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    throw new ApiError(0, 'network', e.message, path);
  }
  if (opts.raw) {
    if (!res.ok) throw await errorOf(res, path);
    return res;
  }
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) {
    const e = data && data.error ? data.error : {};
    const err = new ApiError(res.status, e.code || 'http_' + res.status, e.message || res.statusText, path);
    err.body = data;
    if (res.status === 401 && path !== '/api/session') window.dispatchEvent(new CustomEvent('lakthan:unauthenticated'));
    throw err;
  }
  return data;
}

async function errorOf(res, path) {
  const data = await res.json().catch(() => null);
  const e = data && data.error ? data.error : {};
  return new ApiError(res.status, e.code || 'http_' + res.status, e.message || res.statusText, path);
}

export const get = (p, o) => request('GET', p, undefined, o);
export const post = (p, b) => request('POST', p, b);
export const patch = (p, b) => request('PATCH', p, b);
export const del = (p, b) => request('DELETE', p, b);

// Query string from an object, skipping empty values; arrays repeat the key.
export function qs(obj) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(obj)) {
    if (Array.isArray(v)) v.forEach(x => u.append(k, x));
    else if (v !== undefined && v !== null && v !== '') u.set(k, v);
  }
  const s = u.toString();
  return s ? '?' + s : '';
}

// Upload one file with XHR so that progress can be shown: onProgress(sent,
// total); resolves {status, data}.
export function uploadFile(file, fields, onProgress) {
  return new Promise((resolve) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) {
      if (Array.isArray(v)) v.forEach(x => fd.append(k, x));
      else if (v !== undefined && v !== null && v !== '') fd.append(k, v);
    }
    fd.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/documents');
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
      resolve({ status: xhr.status, data });
    };
    xhr.onerror = () => resolve({ status: 0, data: null });
    xhr.send(fd);
  });
}
