/**
 * `fetch` for the CDN requests of the worker, whose failures say whether CORS refused them.
 * A CORS refusal and a network failure both reject with the same TypeError ("Failed to
 * fetch"); the browser does not tell them apart. So after a TypeError the same URL is asked
 * again with `mode: 'no-cors'`, which CORS cannot refuse: an (opaque) answer means the CDN is
 * reachable and answered without a matching `Access-Control-Allow-Origin`; a second failure
 * means the network. The probe costs one more request, only on a failure. A timeout is
 * reported as it is. (A network that fails once and then recovers would read as CORS.)
 */
export async function explainedFetch(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const answered = await fetch(url, { mode: 'no-cors', signal: AbortSignal.timeout(5000) }).then(
      () => true,
      () => false,
    );
    throw new Error(answered ? `refused by CORS: no Access-Control-Allow-Origin for ${location.origin}` : `network error (${error.message})`);
  }
}
