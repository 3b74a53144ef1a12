import LiveHelpOutlined from '@mui/icons-material/LiveHelpOutlined';
import { RfiList } from './RfiList';
import { RfiShow } from './RfiShow';

export default {
  list: RfiList,
  show: RfiShow,
  icon: LiveHelpOutlined,
  recordRepresentation: 'title',
};
