// The list of the moderation queue's keys, in a modal dialog (opened with ? or its button).
import { Dialog } from './Dialog.js';

export const QUEUE_KEYS: Array<{ keys: string[]; does: string }> = [
  { keys: ['j'], does: 'Select the next comment' },
  { keys: ['k'], does: 'Select the previous comment' },
  { keys: ['x'], does: 'Tick or untick the selected comment for a bulk action' },
  { keys: ['Enter'], does: 'Open the selected comment' },
  { keys: ['?'], does: 'Show this list of keys' },
  { keys: ['Esc'], does: 'Close this list' },
];

export function QueueKeysHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} title="Keyboard shortcuts" onClose={onClose}>
      <p>On the moderation queue, when you are not typing in a field:</p>
      <table className="usa-table usa-table--borderless" data-testid="keys-help">
        <caption className="usa-sr-only">Keys and what they do</caption>
        <thead><tr><th scope="col">Key</th><th scope="col">What it does</th></tr></thead>
        <tbody>
          {QUEUE_KEYS.map((k) => (
            <tr key={k.does}>
              <th scope="row">{k.keys.map((key) => <kbd key={key} className="civic-kbd">{key}</kbd>)}</th>
              <td>{k.does}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>You can turn these single-key shortcuts off on the queue page.</p>
      <button type="button" className="usa-button" onClick={onClose}>Close</button>
    </Dialog>
  );
}
