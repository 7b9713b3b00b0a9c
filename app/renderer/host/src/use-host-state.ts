/** Polls `/api/state` every few seconds; `refresh` asks at once (after an action). */
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, type HostStateView, hostApi } from "./host-api.ts";

const POLL_MS = 3000;

export function useHostState() {
  const [state, setState] = useState<HostStateView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const alive = useRef(true);

  const refresh = useCallback(async () => {
    try {
      const next = await hostApi.state();
      if (!alive.current) return;
      setState(next);
      setError(null);
    } catch (caught) {
      if (alive.current) setError(caught instanceof ApiError ? caught : new ApiError(0, "ERROR", String(caught)));
    }
  }, []);

  useEffect(() => {
    alive.current = true;
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => {
      alive.current = false;
      clearInterval(timer);
    };
  }, [refresh]);

  return { state, error, refresh };
}
