/**
 * An emoji picker: a search box and a grid. Typing filters; Down enters the grid, arrows move,
 * Enter picks, Escape closes. Used for reactions and by the composer.
 */
import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { type EmojiEntry, loadEmoji, searchEmoji } from "./emoji-data.ts";
import "./emoji-picker.css";

const columns = 8;
const shown = 160;

export function EmojiPicker({ label, onPick, onClose }: { label: string; onPick(emoji: string): void; onClose(): void }) {
  const [all, setAll] = useState<EmojiEntry[] | null>(null);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(-1);
  const search = useRef<HTMLInputElement>(null);
  const grid = useRef<HTMLDivElement>(null);
  const id = useId();
  useEffect(() => {
    search.current?.focus();
    void loadEmoji().then(setAll);
  }, []);
  const results = all ? searchEmoji(all, query, shown) : [];

  const focusCell = (index: number) => {
    setActive(index);
    grid.current?.querySelectorAll<HTMLButtonElement>("button")[index]?.focus();
  };
  const onGridKey = (event: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns };
    const step = moves[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const next = active + step;
    if (next < 0) search.current?.focus();
    else focusCell(Math.min(next, results.length - 1));
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    }
  };

  return (
    // Escape anywhere in the picker closes it.
    <fieldset className="emoji-picker" aria-label={label} onKeyDown={onKeyDown}>
      <label className="visually-hidden" htmlFor={`${id}-search`}>
        Search emoji
      </label>
      <input
        ref={search}
        id={`${id}-search`}
        type="search"
        placeholder="Search emoji"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(-1);
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" && results.length > 0) {
            e.preventDefault();
            focusCell(0);
          } else if (e.key === "Enter" && results[0]) {
            e.preventDefault();
            onPick(results[0].unicode);
          }
        }}
      />
      {/* biome-ignore lint/a11y/noStaticElementInteractions: arrow keys move between the buttons inside */}
      <div ref={grid} className="emoji-grid" onKeyDown={onGridKey}>
        {all === null ? <p className="muted">Loading…</p> : null}
        {all && results.length === 0 ? <p className="muted">No emoji match “{query}”.</p> : null}
        {results.map((entry, index) => (
          <button
            key={entry.unicode}
            type="button"
            className="emoji-cell"
            title={entry.label}
            aria-label={entry.label}
            tabIndex={index === Math.max(active, 0) ? 0 : -1}
            onFocus={() => setActive(index)}
            onClick={() => onPick(entry.unicode)}
          >
            {entry.unicode}
          </button>
        ))}
      </div>
    </fieldset>
  );
}
