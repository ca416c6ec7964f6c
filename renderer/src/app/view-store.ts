// Which screen the signed-in user is looking at, and whether the keyboard help is open.
import { create } from 'zustand';

export type Screen =
  | 'queues'
  | 'import'
  | 'notifications'
  | 'verifier'
  | 'licensing'
  | 'audit'
  | 'dashboard'
  | 'users'
  | 'lead'
  | 'lists'
  | 'allow-list'
  | 'my-leads'
  | 'held'
  | 'kyc-outbox'
  | 'sync';

type ViewState = {
  readonly screen: Screen;
  readonly helpOpen: boolean;
  readonly show: (screen: Screen) => void;
  readonly setHelpOpen: (open: boolean) => void;
};

export const useView = create<ViewState>()((set) => ({
  screen: 'queues',
  helpOpen: false,
  show: (screen) => set({ screen }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
}));
