// The preload: exposes the api bridge as window.perimeter through contextBridge, never ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import type { ApiEnvelope } from '../../core/api/envelope.ts';
import { buildBridge } from './bridge.ts';

contextBridge.exposeInMainWorld(
  'perimeter',
  buildBridge((channel, request) => ipcRenderer.invoke(channel, request) as Promise<ApiEnvelope<unknown>>),
);
