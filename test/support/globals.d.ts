// happy-dom's test hook on the window (present in the 'unit' project only).
export {};
declare global {
  interface Window {
    happyDOM?: { setURL(url: string): void };
  }
}
