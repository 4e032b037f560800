import { create } from 'zustand';

/** Whether the start screen is shown: at a launch with nothing to restore or reopen, and on the Start command. */
export const useStart = create<{ shown: boolean }>(() => ({ shown: false }));

export const showStart = (shown: boolean): void => useStart.setState({ shown });
