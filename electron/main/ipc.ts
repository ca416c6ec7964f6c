// The one validated-IPC module: the only file that touches ipcMain. It registers one handler per allow-listed channel
// and hands every message, with plain facts about its sender, to the Electron-free door (ipc-door.ts).
import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import { API_CHANNELS } from './ipc-door.ts';
import type { IpcDoor, SenderFacts } from './ipc-door.ts';

const senderFactsOf = (event: IpcMainInvokeEvent): SenderFacts => {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frameUrl: frame?.url ?? null,
    isTopLevelFrame: frame !== null && frame.parent === null && frame === event.sender.mainFrame,
  };
};

/** Registers the door on every channel of the contract; returns the function that removes them again. */
export const registerIpcDoor = (door: IpcDoor): (() => void) => {
  for (const channel of API_CHANNELS)
    ipcMain.handle(channel, (event, raw: unknown) => door.handle(channel, senderFactsOf(event), raw));
  return () => {
    for (const channel of API_CHANNELS) ipcMain.removeHandler(channel);
  };
};
