import { providerLabels, type Rfi, type RfiAnswer } from '@desk/shared';
import QuestionAnswerOutlined from '@mui/icons-material/QuestionAnswerOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import { lazy } from 'react';
import { Field, Fields, Missing } from '../applications/Fields';
import { Section } from '../applications/Section';
import { DateTime } from '../common/DateTime';
import { formatBytes } from '../common/formatBytes';
import { useMayViewDocuments, ViewFileButton } from '../documents/ViewDocumentButton';

const RfiFileViewer = lazy(() => import('./RfiFileViewer'));

/**
 * Every answer given so far, each version kept, newest last, with the values and files it
 * carried and, when the provider refused it, the provider's reasons. Roles that may see
 * documents' content open a file in the document viewer; others see that it was sent.
 */
export const RfiAnswersSection = ({ rfi }: { rfi: Rfi }) => {
  const labels = new Map(rfi.items.map((item) => [item.key, item.label]));
  const labelOf = (key: string) => labels.get(key) ?? key;
  const mayView = useMayViewDocuments();
  const hasFiles = rfi.answers.some((answer) => answer.documents.length > 0);
  return (
    <Section
      title={`Answers (${rfi.answers.length})`}
      icon={<QuestionAnswerOutlined fontSize="small" />}
      testId="rfi-answers"
    >
      {rfi.answers.length === 0 ? (
        <Box sx={{ color: 'text.secondary' }}>No answer yet.</Box>
      ) : (
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
          {hasFiles && !mayView && (
            <Box data-testid="rfi-files-content-withheld" sx={{ color: 'text.secondary', fontSize: 14 }}>
              Your role sees which files were sent, not their content.
            </Box>
          )}
          {rfi.answers.map((answer) => (
            <AnswerView key={answer.id} rfi={rfi} answer={answer} labelOf={labelOf} />
          ))}
        </Box>
      )}
    </Section>
  );
};

const AnswerView = ({ rfi, answer, labelOf }: { rfi: Rfi; answer: RfiAnswer; labelOf: (key: string) => string }) => (
  <Box
    data-testid="rfi-answer"
    data-version={answer.version}
    data-refused={answer.refusal !== null}
    sx={{ borderLeft: 3, borderColor: answer.refusal ? 'error.main' : 'divider', pl: 1.5 }}
  >
    <Box sx={{ fontSize: 12.5, color: 'text.secondary', mb: 0.75 }}>
      <Box component="span" sx={{ fontWeight: 600, color: 'text.primary' }}>
        Answer {answer.version}
      </Box>{' '}
      · <DateTime value={answer.answeredAt} /> ·{' '}
      {answer.answeredBy ? answer.answeredBy.name : 'the customer or provider'}
    </Box>
    {answer.refusal && (
      <Alert severity="error" sx={{ mb: 1, py: 0 }} data-testid="rfi-answer-refusal">
        Refused by {providerLabels[rfi.provider]}
        {answer.refusedAt && (
          <>
            {' '}
            on <DateTime value={answer.refusedAt} />
          </>
        )}
        : {answer.refusal.message}
        {Object.keys(answer.refusal.fields).length > 0 && (
          <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
            {Object.entries(answer.refusal.fields).map(([key, reasons]) => (
              <li key={key}>
                {labelOf(key)}: {reasons.join('; ')}
              </li>
            ))}
          </Box>
        )}
      </Alert>
    )}
    <Fields>
      {answer.text !== null && (
        <Field label="Text">
          <Box component="span" sx={{ whiteSpace: 'pre-wrap' }}>
            {answer.text}
          </Box>
        </Field>
      )}
      {Object.entries(answer.fieldValues).map(([key, value]) => (
        <Field key={key} label={labelOf(key)}>
          {value === '' ? <Missing /> : value}
        </Field>
      ))}
      {answer.documents.map((document) => (
        <Field key={document.id} label={labelOf(document.itemKey)}>
          <Box
            component="span"
            data-testid="rfi-answer-file"
            data-viewable={document.viewable}
            sx={{ display: 'inline-flex', alignItems: 'center', flexWrap: 'wrap', columnGap: 0.5 }}
          >
            <Box component="span" sx={{ fontWeight: 600 }}>
              {document.fileName ?? 'unnamed file'}
            </Box>
            <Box component="span" sx={{ color: 'text.secondary' }} title={`sha256 ${document.sha256}`}>
              · {document.contentType} · {formatBytes(document.sizeBytes)}
            </Box>
            <ViewFileButton
              label={`${labelOf(document.itemKey)} (answer ${answer.version})`}
              viewable={document.viewable}
              viewer={(onClose) => <RfiFileViewer rfi={rfi} answer={answer} document={document} onClose={onClose} />}
            />
          </Box>
        </Field>
      ))}
    </Fields>
  </Box>
);
