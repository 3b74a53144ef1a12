import { Skeleton, TableCell, TableRow } from '@mui/material';

/** Placeholder rows while a table's first page loads. They never reorder, so their position is their key. */
export const SkeletonRows = ({ columns, rows = 8 }: { columns: number; rows?: number }) => (
  <>
    {Array.from({ length: rows }, (_, row) => (
      // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity but their position
      <TableRow key={row}>
        {Array.from({ length: columns }, (_, column) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity but their position
          <TableCell key={column}>
            <Skeleton variant="text" />
          </TableCell>
        ))}
      </TableRow>
    ))}
  </>
);
