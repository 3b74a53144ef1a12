import type { DocumentFlag } from '@desk/shared';
import BadgeOutlined from '@mui/icons-material/BadgeOutlined';
import HomeOutlined from '@mui/icons-material/HomeOutlined';
import PinOutlined from '@mui/icons-material/PinOutlined';

/** One icon per document flag: the ID card, the identification number, the address. */
export const flagIcons: Record<DocumentFlag, typeof BadgeOutlined> = {
  idVerification: BadgeOutlined,
  identificationNumberVerification: PinOutlined,
  addressVerification: HomeOutlined,
};
