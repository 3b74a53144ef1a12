import BadgeOutlined from '@mui/icons-material/BadgeOutlined';
import { StaffCreate } from './StaffCreate';
import { StaffEdit } from './StaffEdit';
import { StaffList } from './StaffList';

export default {
  list: StaffList,
  create: StaffCreate,
  edit: StaffEdit,
  icon: BadgeOutlined,
  recordRepresentation: 'name',
};
