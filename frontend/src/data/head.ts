/**
 * Queries that read at the head of the chain and follow it: each read is one `eth_call` at "latest" that also brings
 * the block's number and time (`readAtHead`), so a page's first paint waits for no `eth_blockNumber`. The new-block
 * watcher starts one polling interval later; when it sees a block newer than the one shown, the query reads again.
 */
import { keepPreviousData, useQuery, type QueryKey } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useWatchBlockNumber } from "wagmi";

import { useContracts } from "./contracts.ts";

export function useHeadQuery<data extends { blockNumber: bigint }>(options: {
  queryKey: QueryKey;
  enabled: boolean;
  read: () => Promise<data>;
}) {
  const { chainId } = useContracts();
  const [head, setHead] = useState<{ chainId: number; blockNumber: bigint }>();
  useWatchBlockNumber({
    chainId,
    enabled: options.enabled,
    onBlockNumber: (blockNumber) => setHead({ chainId, blockNumber }),
  });
  const headBlock = head?.chainId === chainId ? head.blockNumber : undefined;
  const query = useQuery({
    queryKey: options.queryKey,
    enabled: options.enabled,
    placeholderData: keepPreviousData,
    queryFn: options.read,
  });
  const shownBlock = query.data?.blockNumber;
  const { refetch, isFetching } = query;
  // The head a read was last started for: a read that fails is tried again at the next block, not at once.
  const requested = useRef<bigint | undefined>(undefined);
  useEffect(() => {
    // A block newer than the one shown: read again (a read already under way is kept).
    if (
      headBlock !== undefined &&
      shownBlock !== undefined &&
      headBlock > shownBlock &&
      !isFetching &&
      requested.current !== headBlock
    ) {
      requested.current = headBlock;
      void refetch({ cancelRefetch: false });
    }
  }, [headBlock, shownBlock, isFetching, refetch]);
  return query;
}
