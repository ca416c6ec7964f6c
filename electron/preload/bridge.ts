// The bridge the preload exposes as window.perimeter: one function per api and session method of the contract, each
// invoking its own `api:<method>` channel. Free of Electron, so Node tests check it against the main process's list.
import { API, SESSION_API } from '../../core/api/contract.ts';
import type { ApiMethod, SessionMethod } from '../../core/api/contract.ts';
import type { ApiEnvelope } from '../../core/api/envelope.ts';

export type BridgeMethod = ApiMethod | SessionMethod;
export type PerimeterBridge = { readonly [M in BridgeMethod]: (request?: unknown) => Promise<ApiEnvelope<unknown>> };
export type Invoke = (channel: string, request: unknown) => Promise<ApiEnvelope<unknown>>;

export const BRIDGE_METHODS: readonly BridgeMethod[] = Object.freeze([
  ...(Object.keys(API) as ApiMethod[]),
  ...(Object.keys(SESSION_API) as SessionMethod[]),
]);

export const bridgeChannelOf = (method: BridgeMethod): string => `api:${method}`;

/** A frozen object of plain functions: nothing of ipcRenderer, no channel chosen by the page. */
export const buildBridge = (invoke: Invoke): PerimeterBridge => {
  const bridge: Record<string, (request?: unknown) => Promise<ApiEnvelope<unknown>>> = {};
  for (const method of BRIDGE_METHODS) {
    const channel = bridgeChannelOf(method);
    bridge[method] = (request?: unknown) => invoke(channel, request ?? {});
  }
  return Object.freeze(bridge) as PerimeterBridge;
};
