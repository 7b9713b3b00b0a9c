/** What every view below the shell needs: the signed-in client and the discovered endpoints. */
import { createContext, useContext } from "react";
import type { Rest } from "../api/rest.ts";
import type { ChatClient } from "../state/chat-client.ts";
import type { ChatState } from "../state/chat-state.ts";
import { useStore } from "../state/store.ts";

export const RestContext = createContext<Rest | null>(null);
export const ChatContext = createContext<ChatClient | null>(null);

export function useRest(): Rest {
  const rest = useContext(RestContext);
  if (!rest) throw new Error("useRest outside RestContext");
  return rest;
}

export function useChatClient(): ChatClient {
  const client = useContext(ChatContext);
  if (!client) throw new Error("useChatClient outside ChatContext");
  return client;
}

export function useChat<T>(select: (state: ChatState) => T): T {
  return useStore(useChatClient().store, select);
}
