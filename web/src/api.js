// The JSON API client. Cookie sessions: unsafe requests carry the
// session's CSRF token (docs/api.md). Errors are ApiError with the stable
// code of the server's error catalog.

let csrf = '';
let onUnauthenticated = () => {};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function setCSRF(token) { csrf = token || ''; }
export function setUnauthenticatedHandler(fn) { onUnauthenticated = fn; }

async function request(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  let payload;
  if (body !== undefined && !(body instanceof Blob)) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  } else if (body instanceof Blob) {
    headers['Content-Type'] = 'application/octet-stream';
    payload = body;
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  const resp = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store' });
  if (resp.status === 204) return null;
  let data = null;
  const ct = resp.headers.get('Content-Type') || '';
  if (ct.includes('application/json')) data = await resp.json();
  if (!resp.ok) {
    const code = data?.error?.code || 'internal';
    const msg = data?.error?.message || `${resp.status} ${resp.statusText}`;
    if (resp.status === 401 && !opts.noRedirect) onUnauthenticated();
    throw new ApiError(resp.status, code, msg);
  }
  return data;
}

export const api = {
  get: (p, o) => request('GET', p, undefined, o),
  post: (p, b, o) => request('POST', p, b, o),
  put: (p, b) => request('PUT', p, b),
  del: (p) => request('DELETE', p),
};

/** upload sends a file with XMLHttpRequest (fetch has no upload
 * progress) and calls progress(loaded, total). */
export function upload(file, progress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/uploads?name=' + encodeURIComponent(file.name));
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => progress(e.loaded, e.total);
    xhr.onload = () => {
      if (xhr.status === 201) resolve(xhr.response);
      else reject(new ApiError(xhr.status, xhr.response?.error?.code || 'internal', xhr.response?.error?.message || `upload failed (${xhr.status})`));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'upload failed: network error'));
    xhr.send(file);
  });
}

export const enc = encodeURIComponent;
