/**
 * The parts of the service worker global scope the runtime uses. The project compiles against
 * the DOM library, which does not declare them (the WebWorker library conflicts with it).
 */
export interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}

export interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  readonly clientId: string;
  respondWith(response: Response | Promise<Response>): void;
}

interface WorkerClient {
  postMessage(message: unknown): void;
}

export interface WorkerScope {
  readonly location: { readonly origin: string; readonly href: string };
  readonly registration: { readonly scope: string };
  readonly clients: { get(id: string): Promise<WorkerClient | undefined>; claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
}

export const scope = globalThis as unknown as WorkerScope;
