import { useEffect, useRef, useState } from 'react';

/** Follows `value`, but changes at most once per `intervalMs` (the last value always arrives). */
export function useThrottledValue<T>(value: T, intervalMs: number): T {
  const [throttled, setThrottled] = useState(value);
  const lastChange = useRef(0);

  useEffect(() => {
    const wait = lastChange.current + intervalMs - Date.now();
    if (wait <= 0) {
      lastChange.current = Date.now();
      setThrottled(value);
      return;
    }
    const timer = setTimeout(() => {
      lastChange.current = Date.now();
      setThrottled(value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, intervalMs]);

  return throttled;
}
